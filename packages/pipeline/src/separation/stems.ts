/** Where a segment's separated stems are, when the segment stage made them. */
import { access } from "node:fs/promises";
import { layout } from "../layout";

export async function separatedStems(
  taskDir: string,
  k: number,
): Promise<{ vocals: string; background: string } | null> {
  const vocals = layout.segSourceVocals(taskDir, k);
  const background = layout.segBackground(taskDir, k);
  try {
    await Promise.all([access(vocals), access(background)]);
    return { vocals, background };
  } catch {
    return null;
  }
}
