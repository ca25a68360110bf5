import { concatBytes } from '../bytes';

/** The multipart/related bodies of DICOMweb: STOW-RS requests are encoded, WADO-RS responses decoded. */

function randomBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `mammo-denoise-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The multipart/related body of a STOW-RS request, one application/dicom part per instance. */
export function multipartRelated(
  instances: readonly Uint8Array[],
  boundary = randomBoundary(),
): { body: Uint8Array; contentType: string } {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const instance of instances) {
    chunks.push(
      encoder.encode(
        `--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${instance.byteLength}\r\n\r\n`,
      ),
      instance,
      encoder.encode('\r\n'),
    );
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  return {
    body: concatBytes(chunks),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const last = haystack.length - needle.length;
  outer: for (let i = from; i <= last; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The bodies of a multipart/related response (WADO-RS). */
export function parseMultipart(body: Uint8Array, contentType: string): Uint8Array[] {
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!match?.[1]) throw new Error(`the response is not multipart (Content-Type ${contentType || 'missing'})`);
  const delimiter = new TextEncoder().encode(`--${match[1]}`);
  const headerEnd = new TextEncoder().encode('\r\n\r\n');
  const parts: Uint8Array[] = [];
  let at = indexOf(body, delimiter, 0);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break; // closing "--"
    const headersAt = indexOf(body, headerEnd, afterDelimiter);
    if (headersAt < 0) break;
    const start = headersAt + headerEnd.length;
    const next = indexOf(body, delimiter, start);
    if (next < 0) throw new Error('the multipart response is truncated (no closing boundary)');
    // The part ends before the CRLF that precedes the next delimiter.
    const end = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push(body.slice(start, end));
    at = next;
  }
  return parts;
}
