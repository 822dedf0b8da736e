import path from "node:path";
import type { NextConfig } from "next";

const config: NextConfig = {
  // The API package ships TypeScript sources; the browser imports only its types.
  transpilePackages: ["@vitranslator/api"],
  typedRoutes: false,
  typescript: { ignoreBuildErrors: false },
  // Workspace packages live above this app; trace files from the repo root.
  outputFileTracingRoot: path.join(__dirname, "../.."),
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
