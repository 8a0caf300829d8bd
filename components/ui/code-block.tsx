import type { HTMLAttributes } from 'react';

const TONES = {
  light: 'bg-slate-50 text-slate-700 ring-1 ring-slate-200',
  dark: 'bg-slate-900 text-slate-100',
} as const;

/**
 * Preformatted text (arguments, configuration, JSON) that keeps its line breaks and indentation but
 * wraps long lines, even unbroken ones such as tokens, hashes and paths, inside its own box, so it
 * never pushes the page sideways on a phone. Tall content scrolls within `maxHeight`.
 */
export function CodeBlock({
  tone = 'light',
  maxHeight = 'max-h-96',
  className = '',
  ...props
}: HTMLAttributes<HTMLPreElement> & { tone?: keyof typeof TONES; maxHeight?: string }) {
  return (
    <pre
      className={`${maxHeight} overflow-auto rounded-md p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap wrap-anywhere ${TONES[tone]} ${className}`}
      {...props}
    />
  );
}
