import type { Plugin } from 'vite';

/*
 * marked ships one pre-bundled ES module whose top level builds its `marked()` convenience API:
 * `var v = new Marked(); function marked() {…}; marked.options = …; marked.Parser = Parser; …` and
 * `var options = marked.options, …` for the named exports. A bundler must keep those statements
 * (a constructor call, property writes and reads), and through them the Parser, Renderer,
 * TextRenderer, Hooks and Marked classes, although the widget imports only Lexer and Tokenizer.
 *
 * This plugin wraps exactly those statements in pure-annotated functions, so each is dropped
 * when nothing uses its result, and kept, unchanged in behaviour, when something does. It edits
 * the build only (no patched install, nothing for a deployment to carry), and fails the build
 * when marked's output no longer has that shape, rather than silently shaking nothing.
 */

const MARKED_MODULE = /[\\/]node_modules[\\/](?:\.pnpm[\\/]marked@[^\\/]+[\\/]node_modules[\\/])?marked[\\/]lib[\\/]marked\.esm\.js$/;
const PURE = '/*#__PURE__*/';

/**
 * `var v=new Marked;function marked(…){…}…marked.parse=marked;var options=marked.options,…;export{`:
 * the instance, the function with its properties, the named-export aliases.
 */
const TAIL = /var (\w+)=new (\w+);(function (\w+)\([^)]*\)\{[^]*?\4\.parse=\4;)var ([^;]+);(?=export\{)/;
/** `function use(...a){return v.use(...a),…}marked.use=use;` inside the wrapped part. */
const USE = /function (\w+)\(\.\.\.\w+\)\{return \w+\.use\(/;

/** Rewrites marked's module text; throws when its shape is not the one described above. */
export function shakeableMarked(code: string): string {
  const tail = TAIL.exec(code);
  const use = tail && USE.exec(tail[3]!);
  if (!tail || !use) throw new Error('shake-marked: marked.esm.js no longer has the expected shape; update scripts/vite/shake-marked.ts');
  const [whole, instance, markedClass, functionPart, fn, aliases] = tail as unknown as [string, string, string, string, string, string];
  // `function use` moves into the wrapper with the rest; it is the same function as `marked.use`.
  const declarators = aliases
    .split(',')
    .map((declarator) => {
      const [name, value] = declarator.split('=') as [string, string];
      return value.includes('.') ? `${name}=${PURE}(()=>${value})()` : declarator;
    })
    .concat(`${use[1]}=${PURE}(()=>${fn}.use)()`);
  const rewritten =
    `var ${instance}=${PURE}new ${markedClass};` +
    `var ${fn}=${PURE}(()=>{${functionPart}return ${fn}})();` +
    `var ${declarators.join(',')};`;
  return code.replace(whole, rewritten);
}

/** The vite plugin: applies `shakeableMarked` to marked's module. */
export function shakeMarked(): Plugin {
  return {
    name: 'agent-chat:shake-marked',
    transform: {
      filter: { id: MARKED_MODULE },
      handler(code) {
        return { code: shakeableMarked(code), map: null };
      },
    },
  };
}
