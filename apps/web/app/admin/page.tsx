import type { Metadata } from "next";
import { AdminView } from "../../src/client/admin/admin-view";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

export default function AdminPage() {
  return <AdminView />;
}
