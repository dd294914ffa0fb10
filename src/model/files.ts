/**
 * Attachments: which files a site accepts, how a name is cleaned, and what the bytes really are. The server decides
 * with these rules; the widget and the console use them to refuse early (a clear message before any upload).
 * Plain TypeScript, no DOM and no Node: shared by all three.
 */

/** A stored file as the wire carries it (in a message's `file`). */
export interface WireFile {
  /** The server's id (`f-…`), unique per visitor. */
  id: string;
  /** The name the sender gave, cleaned (fileName): always shown as text. */
  name: string;
  /** Bytes. */
  size: number;
  /** The MIME type the server decided from the extension and the content, never the sender's word. */
  type: string;
}

/** The longest file name kept, in UTF-16 code units. */
export const FILE_NAME_MAX = 200;

/** The default per-site limit on one file, in bytes (10 MB). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Each accepted kind, by extension: its MIME type and whether it shows inline as an image. */
export const FILE_KINDS: Readonly<Record<string, { type: string; image: boolean }>> = {
  png: { type: 'image/png', image: true },
  jpg: { type: 'image/jpeg', image: true },
  jpeg: { type: 'image/jpeg', image: true },
  gif: { type: 'image/gif', image: true },
  webp: { type: 'image/webp', image: true },
  pdf: { type: 'application/pdf', image: false },
  txt: { type: 'text/plain', image: false },
  csv: { type: 'text/csv', image: false },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', image: false },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', image: false },
  pptx: { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', image: false },
  odt: { type: 'application/vnd.oasis.opendocument.text', image: false },
  zip: { type: 'application/zip', image: false },
};

/** The extensions a site accepts unless sites.json says otherwise: every kind above. */
export const DEFAULT_FILE_TYPES: readonly string[] = Object.keys(FILE_KINDS);

/** Extensions refused whatever a site lists: programs and scripts a click could run. */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe', 'com', 'scr', 'pif', 'msi', 'msp', 'dll', 'cpl', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'mjs',
  'wsf', 'wsh', 'hta', 'jar', 'sh', 'bash', 'zsh', 'csh', 'command', 'app', 'apk', 'dmg', 'pkg', 'deb', 'rpm', 'run',
  'bin', 'elf', 'so', 'dylib', 'lnk', 'reg', 'inf', 'scf', 'gadget', 'msc', 'py', 'pl', 'rb', 'php', 'html', 'htm',
  'xhtml', 'svg', 'svgz', 'xml', 'swf', 'iso', 'img', 'vhd', 'appimage', 'appx', 'msix', 'xpi', 'crx',
]); // prettier-ignore

/** Bidirectional and other invisible formatting controls: they can make `exe.pdf` read as `fdp.exe`. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A file name fit to show and store: controls and bidi overrides removed, no path, trimmed to FILE_NAME_MAX
 * (keeping the extension). '' when nothing is left.
 */
export function fileName(raw: string): string {
  let name = raw
    .replace(INVISIBLE, '')
    .replace(/^.*[\\/]/, '')
    .trim();
  if (name.length > FILE_NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, FILE_NAME_MAX - ext.length) + ext;
  }
  return name === '.' || name === '..' ? '' : name;
}

/** The lower-case extension of a name, '' when none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A site's file settings (sites.json `files`), with the defaults filled in. */
export interface FileLimits {
  maxBytes: number;
  /** Accepted extensions, lower case. */
  types: readonly string[];
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: DEFAULT_MAX_FILE_BYTES, types: DEFAULT_FILE_TYPES };

/** Why a file is refused before its bytes are read: by name and size. Null when it may be sent. */
export function fileRefusal(
  name: string,
  size: number,
  limits: FileLimits,
): { code: 'file_type' | 'file_too_large' | 'bad_file'; message: string } | null {
  const ext = extensionOf(name);
  if (!name) return { code: 'bad_file', message: 'The file has no name' };
  if (!ext || EXECUTABLE_EXTENSIONS.has(ext) || !FILE_KINDS[ext] || !limits.types.includes(ext))
    return { code: 'file_type', message: `Files of this type (${ext ? `.${ext}` : 'no extension'}) are not accepted` };
  if (size > limits.maxBytes)
    return { code: 'file_too_large', message: `The file is larger than ${formatBytes(limits.maxBytes)}` };
  if (size <= 0) return { code: 'bad_file', message: 'The file is empty' };
  return null;
}

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean =>
  bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Whether the first bytes are a program: PE (`MZ`), ELF, Mach-O (thin or fat), a `#!` script, or a Java class. */
export function looksExecutable(head: Uint8Array): boolean {
  return (
    startsWith(head, [0x4d, 0x5a]) ||
    startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(head, ascii('#!'))
  );
}

/**
 * Whether the first bytes fit the extension's kind: an image must be that image format, a PDF a PDF, the Office and
 * OpenDocument formats and zip a zip archive; text must have no NUL byte. Programs never fit (looksExecutable).
 */
export function contentFits(ext: string, head: Uint8Array): boolean {
  if (looksExecutable(head)) return false;
  switch (ext) {
    case 'png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'jpg':
    case 'jpeg':
      return startsWith(head, [0xff, 0xd8, 0xff]);
    case 'gif':
      return startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'));
    case 'webp':
      return startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8);
    case 'pdf':
      return startsWith(head, ascii('%PDF-'));
    case 'docx':
    case 'xlsx':
    case 'pptx':
    case 'odt':
    case 'zip':
      return startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]);
    case 'txt':
    case 'csv':
      return !head.includes(0);
    default:
      return false;
  }
}

/** Whether a stored file of this MIME type is shown inline (a raster image); everything else is a download. */
export const isInlineImage = (type: string): boolean =>
  Object.values(FILE_KINDS).some((k) => k.image && k.type === type);

/** A size for people: `512 B`, `12 KB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** Checks a `file` field from the wire or storage. */
export function parseWireFile(v: unknown): WireFile | null {
  if (typeof v !== 'object' || v === null) return null;
  const f = v as Record<string, unknown>;
  if (typeof f.id !== 'string' || !/^f-[\w-]{1,62}$/.test(f.id)) return null;
  if (typeof f.name !== 'string' || !f.name || f.name.length > FILE_NAME_MAX) return null;
  if (!Number.isSafeInteger(f.size) || (f.size as number) < 0) return null;
  if (typeof f.type !== 'string' || !Object.values(FILE_KINDS).some((k) => k.type === f.type)) return null;
  return { id: f.id, name: f.name, size: f.size as number, type: f.type };
}

/** A file id as the server makes them. */
export const isFileId = (v: unknown): v is string => typeof v === 'string' && /^f-[\w-]{1,62}$/.test(v);

/** Checks a site's file limits from the wire (the welcome's `files`). */
export function parseFileLimits(v: unknown): FileLimits | null {
  if (typeof v !== 'object' || v === null) return null;
  const { maxBytes, types } = v as Record<string, unknown>;
  if (!Number.isSafeInteger(maxBytes) || (maxBytes as number) < 0) return null;
  if (!Array.isArray(types) || types.length > 50 || types.some((t) => typeof t !== 'string' || !FILE_KINDS[t]))
    return null;
  return { maxBytes: maxBytes as number, types: [...(types as string[])] };
}
