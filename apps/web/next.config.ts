import path from "node:path";
import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript sources; the browser imports the API's types and the stage graph.
  transpilePackages: ["@vitranslator/api", "@vitranslator/pipeline"],
  typedRoutes: false,
  typescript: { ignoreBuildErrors: false },
  // Workspace packages live above this app; trace files from the repo root.
  outputFileTracingRoot: path.join(__dirname, "../.."),
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
