"use client";

import { useEffect, useState } from "react";

/** Copies the page address; falls back to a prompt where the clipboard API is unavailable. */
export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      window.prompt("Copy this link:", url);
    }
  };

  return (
    <button
      type="button"
      id="copy-link"
      className="button secondary"
      onClick={() => void copy()}
      aria-live="polite"
    >
      {copied ? "Link copied" : "Copy link"}
    </button>
  );
}
