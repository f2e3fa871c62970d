/**
 * Text colours of the Teams light theme as the Agents Playground's host config gives them
 * (@microsoft/m365agentsplayground 0.2.x, containerStyles.default and .emphasis), and WCAG 2.x
 * contrast. Adaptive Cards host configs write colours as #RRGGBB or #AARRGGBB (alpha first).
 */
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';

export const TEAMS_LIGHT_FOREGROUND: Readonly<Record<TextColor, { readonly default: string; readonly subtle: string }>> = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};
export const TEAMS_LIGHT_BACKGROUNDS = { default: '#ffffff', emphasis: '#fff9f8f7' } as const;

type Rgb = readonly [number, number, number];

function parse(color: string): { rgb: Rgb; alpha: number } {
  const hex = color.replace('#', '');
  const argb = hex.length === 8 ? hex : `ff${hex}`;
  const n = (i: number) => parseInt(argb.slice(i, i + 2), 16);
  return { alpha: n(0) / 255, rgb: [n(2), n(4), n(6)] };
}

/** `color` as seen over the opaque `background`. */
function over(color: string, background: string): Rgb {
  const { rgb, alpha } = parse(color);
  const base = parse(background).rgb;
  return [0, 1, 2].map((i) => rgb[i]! * alpha + base[i]! * (1 - alpha)) as unknown as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of text in `foreground` on `background` (1 to 21). */
export function contrastRatio(foreground: string, background: string): number {
  const bg = over(background, '#ffffff');
  const fg = luminance(over(foreground, `#${bg.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`));
  const b = luminance(bg);
  return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
}
