// Reads the editor's configuration from the data attributes of its host element, which the server-rendered
// page writes:
//
//   <div id="editor"
//        data-doc="standard:…"            required  collaboration document name (DOC_NAME_PATTERN of server/collab)
//        data-user-name="张三"             required  shown to the others beside the cursor and in the presence list
//        data-user-color="#d9480f"         optional  #rrggbb; default: the colour of data-user-province
//        data-user-province="SH|JS|ZJ"     optional  province of the user (default colour, presence badge)
//        data-readonly="true|false"        optional  initial mode; the server's `access` message overrides it
//        data-collab-url="wss://…/collab"  optional  default ws(s)://<this host>/collab
//        data-collab-params="k=v&…"        optional  extra query parameters on the socket URL (tests; production uses the session cookie)
//        data-upload-url="/api/…/images"   optional  POST multipart `file` → JSON { url }; absent: figures take an image URL
//        data-csrf-token="…"               optional  sent as X-CSRF-Token with uploads
//        data-lang="zh|en">                optional  UI language, default zh
//
// The editor writes back onto the same element:
//   data-status = connecting | saving | saved | offline | readonly | refused   (the save indicator's state)
//   data-synced = "true" once the document was received from the server
//   data-access = edit | read                                                  (as the server last said)
// zod/mini: the same validation as zod at a fraction of the bundle size.
import * as z from 'zod/mini';

export const PROVINCE_COLORS: Record<string, string> = { SH: '#d9480f', JS: '#1971c2', ZJ: '#2f9e44' };
const FALLBACK_COLOR = '#7048e8';

// The document and the user are required; a bad value of a cosmetic option (colour, province, language)
// is dropped rather than keeping the editor from starting.
const configSchema = z.object({
  doc: z.string().check(z.regex(/^[A-Za-z0-9_:-]{1,100}$/)),
  userName: z.string().check(z.minLength(1), z.maxLength(100)),
  userColor: z.catch(z.optional(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/))), undefined),
  userProvince: z.catch(z.optional(z.enum(['SH', 'JS', 'ZJ'])), undefined),
  readonly: z.optional(z.enum(['true', 'false'])),
  collabUrl: z.optional(z.string().check(z.regex(/^wss?:\/\//))),
  collabParams: z.optional(z.string().check(z.maxLength(1000))),
  uploadUrl: z.optional(z.string().check(z.minLength(1))),
  csrfToken: z.optional(z.string()),
  lang: z.catch(z.optional(z.enum(['zh', 'en'])), undefined),
});

export interface EditorConfig {
  doc: string;
  userName: string;
  userColor: string;
  userProvince?: 'SH' | 'JS' | 'ZJ';
  readonly: boolean;
  collabUrl: string;
  collabParams: Record<string, string>;
  uploadUrl?: string;
  csrfToken?: string;
  lang: 'zh' | 'en';
}

/** Reads and validates the configuration; throws a ZodError naming the bad attribute. */
export function readConfig(el: HTMLElement, location: Location = window.location): EditorConfig {
  const d = el.dataset;
  const raw = configSchema.parse({
    doc: d.doc,
    userName: d.userName,
    userColor: d.userColor || undefined,
    userProvince: d.userProvince || undefined,
    readonly: d.readonly || undefined,
    collabUrl: d.collabUrl || undefined,
    collabParams: d.collabParams || undefined,
    uploadUrl: d.uploadUrl || undefined,
    csrfToken: d.csrfToken || undefined,
    lang: d.lang || undefined,
  });
  const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
  return {
    doc: raw.doc,
    userName: raw.userName,
    userColor: raw.userColor ?? (raw.userProvince ? PROVINCE_COLORS[raw.userProvince] : FALLBACK_COLOR),
    userProvince: raw.userProvince,
    readonly: raw.readonly === 'true',
    collabUrl: raw.collabUrl ?? wsBase,
    collabParams: Object.fromEntries(new URLSearchParams(raw.collabParams ?? '')),
    uploadUrl: raw.uploadUrl,
    csrfToken: raw.csrfToken,
    lang: raw.lang ?? 'zh',
  };
}
