import { PNG } from 'pngjs';

/**
 * The icon rules Teams enforces on upload, checked before packaging so a bad icon fails here
 * rather than in the Teams admin center.
 */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

export interface DecodedIcon {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes a pixel, row by row. */
  readonly data: Buffer;
}

export function decodePng(png: Buffer): DecodedIcon {
  const { width, height, data } = PNG.sync.read(png);
  return { width, height, data };
}

export function iconProblems(kind: keyof typeof ICON_SIZES, file: string, png: Buffer): string[] {
  let icon: DecodedIcon;
  try {
    icon = decodePng(png);
  } catch (e) {
    return [`${file} is not a PNG (${e instanceof Error ? e.message : String(e)})`];
  }
  const size = ICON_SIZES[kind];
  const problems: string[] = [];
  if (icon.width !== size || icon.height !== size) problems.push(`${file} must be ${size}x${size} pixels (it is ${icon.width}x${icon.height})`);
  if (kind === 'outline') {
    const stray = nonWhitePixels(icon);
    if (stray > 0) problems.push(`${file} must be white on a transparent background; ${stray} pixel(s) are visible and not white`);
  }
  return problems;
}

/** Pixels that are neither fully transparent nor white (white may be partly transparent: anti-aliased edges). */
export function nonWhitePixels(icon: DecodedIcon): number {
  let count = 0;
  for (let i = 0; i < icon.data.length; i += 4) {
    const [r, g, b, a] = [icon.data[i], icon.data[i + 1], icon.data[i + 2], icon.data[i + 3]];
    if (a !== 0 && !(r === 255 && g === 255 && b === 255)) count++;
  }
  return count;
}
