import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The subset of pdfmake's document definition Lifeboat uses; pdfmake ships no types. */
export type PdfContent = string | number | PdfNode | PdfContent[];
export interface PdfNode { [key: string]: unknown }
export interface PdfDocument {
  content: PdfContent[];
  info?: Record<string, string>;
  styles?: Record<string, PdfNode>;
  defaultStyle?: PdfNode;
  pageSize?: string;
  pageOrientation?: 'portrait' | 'landscape';
  pageMargins?: [number, number, number, number];
  header?: (page: number, pages: number) => PdfContent;
  footer?: (page: number, pages: number) => PdfContent;
  /** Files embedded in the PDF (machine-readable evidence travelling with the human-readable copy). */
  files?: Record<string, { src: string; name: string; description?: string; type?: string }>;
}

interface PdfMake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: PdfDocument): { getBuffer(): Promise<Buffer> };
}

let instance: PdfMake | null = null;

/**
 * pdfmake with the Roboto TTFs that ship inside the pdfmake package (Latin, Greek, Cyrillic embedded, so
 * names print right on any machine) and no access to the network or to any file but those fonts.
 */
function pdfmake(): PdfMake {
  if (instance) return instance;
  const pm = require('pdfmake') as PdfMake;
  const dir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  pm.setFonts({
    Roboto: {
      normal: path.join(dir, 'Roboto-Regular.ttf'),
      bold: path.join(dir, 'Roboto-Medium.ttf'),
      italics: path.join(dir, 'Roboto-Italic.ttf'),
      bolditalics: path.join(dir, 'Roboto-MediumItalic.ttf'),
    },
  });
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy((p) => path.resolve(p).startsWith(dir + path.sep));
  instance = pm;
  return pm;
}

export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  return pdfmake().createPdf({ defaultStyle: { font: 'Roboto', fontSize: 8.5 }, pageSize: 'A4', ...doc }).getBuffer();
}

/** Every page: the report's id and "page X of Y" (Annex 11 §8.1: a printed page is identifiable alone). */
export function idFooter(reportId: string, title: string): (page: number, pages: number) => PdfContent {
  return (page, pages) => ({
    columns: [
      { text: `${title} · ${reportId}`, alignment: 'left' },
      { text: `page ${page} of ${pages}`, alignment: 'right' },
    ],
    margin: [40, 10, 40, 0],
    fontSize: 7.5,
    color: '#444444',
  });
}

/** An embedded file from bytes: a data URI, so nothing is read from disk or the network. */
export function embedded(name: string, type: string, data: string | Buffer, description: string): { src: string; name: string; type: string; description: string } {
  return { src: `data:${type};base64,${Buffer.from(data).toString('base64')}`, name, type, description };
}

export const BASE_STYLES: Record<string, PdfNode> = {
  title: { fontSize: 20, bold: true, margin: [0, 0, 0, 8] },
  h1: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
  h2: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
  th: { bold: true, fillColor: '#e8e8e8' },
  small: { fontSize: 7.5, color: '#333333' },
  mono: { fontSize: 7 },
  bad: { color: '#b00020', bold: true },
  good: { color: '#1b5e20' },
};

/** A table with a repeating header row; cells are strings so nothing is dropped by pdfmake's typing. */
export function table(headers: string[], rows: (string | PdfNode)[][], widths?: (string | number)[]): PdfNode {
  const body = [headers.map((h) => ({ text: h, style: 'th' })), ...rows];
  return { table: { headerRows: 1, widths: widths ?? headers.map(() => '*'), body, dontBreakRows: true }, layout: 'lightHorizontalLines', fontSize: 7.5, margin: [0, 2, 0, 6] };
}
