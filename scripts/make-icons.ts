/**
 * Draws the two Teams app icons into manifest/: color.png (192x192, full-bleed accent background,
 * white glyph) and outline.png (32x32, white glyph on a fully transparent background).
 *
 * Run by hand after changing the glyph (`npm run icons`); the PNGs are committed so that packaging
 * needs no drawing step. The glyph is a small patch panel: two columns of jacks, two patch cords
 * crossing between them, the two unconnected jacks drawn as rings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { projectPath } from '../src/project-path';

/** The background is the manifest's accentColor, so Teams' tile and the icon match. */
function accentColor(): string {
  const template: unknown = JSON.parse(readFileSync(projectPath('manifest', 'manifest.template.json'), 'utf8'));
  const color = typeof template === 'object' && template !== null && 'accentColor' in template ? template.accentColor : undefined;
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) throw new Error('manifest/manifest.template.json needs an accentColor like #1f5fa8');
  return color;
}

type Point = readonly [number, number];
/** Signed distance from a point to a shape, in glyph units (0..1 across the glyph box). */
type Shape = (x: number, y: number) => number;

const circle = (c: Point, r: number): Shape => (x, y) => Math.hypot(x - c[0], y - c[1]) - r;
const ring = (c: Point, r: number, width: number): Shape => (x, y) => Math.abs(Math.hypot(x - c[0], y - c[1]) - r) - width / 2;

/** A straight stroke with round caps. */
function capsule(a: Point, b: Point, width: number): Shape {
  return (x, y) => {
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy)) - width / 2;
  };
}

/** A patch cord sagging between two jacks: a quadratic curve drawn as short capsules. */
function cord(a: Point, b: Point, sag: number, width: number): Shape {
  const control: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + sag];
  const at = (t: number): Point => [
    (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * control[0] + t ** 2 * b[0],
    (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * control[1] + t ** 2 * b[1],
  ];
  const parts: Shape[] = [];
  const steps = 24;
  for (let i = 0; i < steps; i++) parts.push(capsule(at(i / steps), at((i + 1) / steps), width));
  return union(parts);
}

const union = (shapes: readonly Shape[]): Shape => (x, y) => Math.min(...shapes.map((s) => s(x, y)));

function glyph(): Shape {
  const left = 0.16;
  const right = 0.84;
  const rows = [0.2, 0.5, 0.8] as const;
  const jack = 0.11;
  return union([
    // Connected jacks: solid plugs.
    circle([left, rows[0]], jack),
    circle([right, rows[2]], jack),
    circle([left, rows[2]], jack),
    circle([right, rows[0]], jack),
    // Free jacks: rings, so the panel reads as a switchboard rather than a network diagram.
    ring([left, rows[1]], jack * 0.8, 0.07),
    ring([right, rows[1]], jack * 0.8, 0.07),
    cord([left, rows[0]], [right, rows[2]], 0.18, 0.085),
    cord([left, rows[2]], [right, rows[0]], 0.18, 0.085),
  ]);
}

/**
 * Fraction of each pixel the glyph covers, by 4x4 supersampling: smooth edges without a
 * rasteriser library. `inset` is the margin around the glyph box, in pixels.
 */
function coverage(size: number, inset: number, shape: Shape): Float64Array {
  const out = new Float64Array(size * size);
  const box = size - 2 * inset;
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n - inset) / box;
          const y = (py + (sy + 0.5) / n - inset) / box;
          if (shape(x, y) <= 0) hits++;
        }
      }
      out[py * size + px] = hits / (n * n);
    }
  }
  return out;
}

function hexToRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** Full-bleed accent background, white glyph blended over it. */
function colorIcon(): PNG {
  const size = 192;
  // Teams crops and rounds the color icon; keep the glyph well inside the centre.
  const cover = coverage(size, 44, glyph());
  const [r, g, b] = hexToRgb(accentColor());
  const png = new PNG({ width: size, height: size });
  cover.forEach((c, i) => {
    png.data[i * 4] = Math.round(r + (255 - r) * c);
    png.data[i * 4 + 1] = Math.round(g + (255 - g) * c);
    png.data[i * 4 + 2] = Math.round(b + (255 - b) * c);
    png.data[i * 4 + 3] = 255;
  });
  return png;
}

/** White only, edges anti-aliased through alpha: Teams rejects any other colour in the outline icon. */
function outlineIcon(): PNG {
  const size = 32;
  const cover = coverage(size, 2, glyph());
  const png = new PNG({ width: size, height: size });
  cover.forEach((c, i) => {
    png.data[i * 4] = 255;
    png.data[i * 4 + 1] = 255;
    png.data[i * 4 + 2] = 255;
    png.data[i * 4 + 3] = Math.round(255 * c);
  });
  return png;
}

for (const [file, png] of [['color.png', colorIcon()], ['outline.png', outlineIcon()]] as const) {
  const target = projectPath('manifest', file);
  writeFileSync(target, PNG.sync.write(png));
  console.log(`Wrote ${target} (${png.width}x${png.height})`);
}
