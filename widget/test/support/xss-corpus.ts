/*
 * One XSS corpus for every surface that shows untrusted text: visitor text, model text
 * (markdown), tool arguments and output, workflow and agent names, thread titles, file names,
 * guardrail and error messages from the server. A payload that runs sets `window.__pwned`.
 */

/** Payloads aimed at markdown and HTML parsers, URL filters and templates. */
export const XSS: readonly string[] = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '<svg onload="window.__pwned=\'svg\'"><circle r="1"/></svg>',
  '<svg><script>window.__pwned="svg-script"</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<details open ontoggle="window.__pwned=\'details\'">x</details>',
  '<a href="javascript:window.__pwned=1">raw anchor</a>',
  '<style>*{background:url(javascript:x)}</style><link rel=stylesheet href=//evil.example/x.css>',
  '[js](javascript:window.__pwned=1)',
  '[JS](JaVaScRiPt:window.__pwned=1)',
  '[tab](java\tscript:window.__pwned=1)',
  '[entity](&#106;avascript:window.__pwned=1)',
  '[hex entity](&#x6A;&#x61;vascript:window.__pwned=1)',
  '[named](javascript&colon;window.__pwned=1)',
  '[angle](<javascript:window.__pwned=1>)',
  '<javascript:window.__pwned=1>',
  '[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)',
  '[vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [rel](/admin) [proto](//evil.example)',
  '[ref][r]\n\n[r]: javascript:window.__pwned=1',
  '![img](javascript:window.__pwned=1) ![http](http://insecure.example/x.png) ![data](data:image/svg+xml,<svg onload=alert(1)>)',
  '![quote](https://example.com/x.png" onerror="window.__pwned=1)',
  '[title](https://example.com "\\" onmouseover=\\"window.__pwned=1")',
  '```js" onmouseover="window.__pwned=1\ncode\n```',
  '| <b onclick=x()>h</b> |\n| - |\n| <img src=x onerror=window.__pwned=1> |',
  '- [x] <input onfocus=window.__pwned=1 autofocus>',
  '&lt;script&gt;window.__pwned=1&lt;/script&gt; &#60;img src=x onerror=window.__pwned=1&#62;',
  '**<img src=x onerror=window.__pwned=1>** _<svg/onload=window.__pwned=1>_ `<script>`',
  '<!-- <script>window.__pwned=1</script> --> <![CDATA[<script>x</script>]]> <?php x ?>',
  '<a href="vbscript:msgbox(1)">vb</a> [VB](VBScript:msgbox(1)) [vb entity](&#118;bscript:msgbox(1))',
  '[data html](DATA:text/html,<script>parent.__pwned=1</script>) [data entity](&#100;ata:text/html,x)',
  '<a href="&#x6A;avascript:window.__pwned=1">x</a> <a href="&#0000106&#0000097vascript:window.__pwned=1">y</a>',
  '[nul](java\u0000script:window.__pwned=1) [newline](java\nscript:window.__pwned=1) [space]( javascript:window.__pwned=1)',
  '"><img src=x onerror=window.__pwned=1> \'><svg/onload=window.__pwned=1>',
  '<svg><a xlink:href="javascript:window.__pwned=1"><text>x</text></a></svg>',
  '<object data="javascript:window.__pwned=1"></object><embed src="javascript:window.__pwned=1">',
  '<form action="javascript:window.__pwned=1"><button formaction="javascript:window.__pwned=1">go</button></form>',
  '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '<img src="x" onerror="window.__pwned=1"',
  '{{constructor.constructor("window.__pwned=1")()}} ${window.__pwned=1} <%= window.__pwned=1 %> #{window.__pwned=1}',
  '__proto__ constructor prototype toString',
  'invoice\u202Efdp.exe \u202Bright-to-left\u202C \u2066isolate\u2069 \u200Fmark',
];

/** Every script in the corpus sets this; nothing may. */
export type PwnedWindow = Window & { __pwned?: unknown };

/** URL schemes content may reach the DOM with (blob: for the widget's own image previews). */
export const SAFE_URL = /^(https?:|mailto:|blob:)/i;
