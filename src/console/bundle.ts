/**
 * The console's browser code, bundled when first asked for: one script and one style sheet per
 * page, so the console needs no build step and a report can inline its page whole. esbuild is
 * already what runs the TypeScript sources (through tsx), so bundling adds no new tool.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The pages: each is src/console/ui/<page>/main.tsx. */
export type UiPage = 'console' | 'replay';

export interface UiBundle {
  js: string;
  css: string;
}

const UI_ROOT = fileURLToPath(new URL('./ui/', import.meta.url));
const built = new Map<UiPage, Promise<UiBundle>>();

/** The page's script (an IIFE, so it can be inlined) and its styles; built once per process. */
export function uiBundle(page: UiPage): Promise<UiBundle> {
  let bundle = built.get(page);
  if (!bundle) {
    bundle = bundlePage(page);
    built.set(page, bundle);
    // A failed build is not cached: the next request tries again.
    bundle.catch(() => built.delete(page));
  }
  return bundle;
}

async function bundlePage(page: UiPage): Promise<UiBundle> {
  const result = await build({
    entryPoints: [`${UI_ROOT}${page}/main.tsx`],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'out',
    logLevel: 'silent',
    // The script is inlined into <script> tags: keep "</script" out of its text.
    supported: { 'inline-script': false },
    charset: 'utf8',
  });
  const text = (ext: string): string => result.outputFiles.filter((f) => f.path.endsWith(ext)).map((f) => f.text).join('\n');
  return { js: text('.js'), css: text('.css') };
}
