import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/generated/**",
      "**/next-env.d.ts",
      "**/*.config.*",
      "storage/**",
      "models/**",
      "bench/out/**",
      "test-results/**",
      "scripts/.scratch/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      "no-console": "error",
    },
  },
  {
    files: [
      "**/*.test.ts",
      "**/test/**",
      "playwright/**",
      "scripts/**",
      "**/src/main.ts",
      "**/server/main.ts",
      "**/*-cli.ts",
      "packages/testkit/**",
      "bench/**",
    ],
    rules: { "no-console": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
  // Plain ES modules (Node loader hooks used by tests) are outside every tsconfig.
  {
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, program: null } },
  },
);
