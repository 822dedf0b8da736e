import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Link not found" };

export default function WatchNotFound() {
  return (
    <section className="page-message card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">This watch link is wrong</h1>
      <p className="muted">
        No dub has this link. Check that it was copied whole, or the dub may have been deleted. You can dub a
        video of your own instead.
      </p>
      <p>
        <Link href="/" className="button primary">
          Upload a video
        </Link>
      </p>
    </section>
  );
}
