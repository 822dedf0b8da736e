import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { WatchView } from "../../../src/client/watch/watch-view";
import { WATCH_TASK_HEADER } from "../../../src/watch-link";

interface Props {
  params: Promise<{ id: string }>;
}

export const metadata: Metadata = { title: "Watch" };

export default async function WatchPage({ params }: Props) {
  const { id } = await params;
  // The server looked the link up (server/watch-link.ts): an unknown or malformed one is a 404.
  if ((await headers()).get(WATCH_TASK_HEADER) === "missing") notFound();
  return <WatchView id={id} />;
}
