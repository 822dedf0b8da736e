import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ViTranslator", template: "%s · ViTranslator" },
  description: "Dub a video into another language and watch it while it is being made.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#0f1115",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ▶
            </span>
            ViTranslator
          </Link>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
