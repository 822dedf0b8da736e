import type { Metadata } from "next";
import { WatchView } from "../../../src/client/watch/watch-view";

interface Props {
  params: Promise<{ id: string }>;
}

export const metadata: Metadata = { title: "Watch" };

export default async function WatchPage({ params }: Props) {
  const { id } = await params;
  return <WatchView id={id} />;
}
