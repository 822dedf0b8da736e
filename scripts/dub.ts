/** `npm run dub -- <video> --to <lang> …`: dub a video through a running ViTranslator server. */
import { CliError, parseDubArgs, runDub } from "./dub-client";

try {
  const opts = parseDubArgs(process.argv.slice(2));
  await runDub(opts, { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY });
} catch (e) {
  console.error(e instanceof CliError ? `dub: ${e.message}` : e);
  process.exit(1);
}
