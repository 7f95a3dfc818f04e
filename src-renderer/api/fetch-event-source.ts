/**
 * A minimal EventSource over fetch, because the browser's EventSource cannot send the Authorization
 * header the agent requires. It does what tRPC's httpSubscriptionLink uses (named events, open, error,
 * close); reconnecting is tRPC's job. Used only by ./client.ts.
 */
export class FetchEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials = false;
  readyState = 0;
  readonly #abort = new AbortController();

  constructor(url: string | URL, init?: { headers?: Record<string, string> }) {
    super();
    this.url = String(url);
    void this.#run(init?.headers ?? {});
  }

  close(): void {
    this.readyState = this.CLOSED;
    this.#abort.abort();
  }

  async #run(headers: Record<string, string>): Promise<void> {
    try {
      const res = await fetch(this.url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.#abort.signal });
      if (!res.ok || !res.body) {
        this.readyState = this.CLOSED;
        this.dispatchEvent(new Event('error'));
        return;
      }
      this.readyState = this.OPEN;
      this.dispatchEvent(new Event('open'));
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      // As in EventSource: the last id seen holds for later events that carry none (tRPC resumes from it).
      let lastEventId = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let sep: number;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line === '' || line.startsWith(':')) continue;
            const i = line.indexOf(':');
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'event') type = value;
            else if (field === 'data') data.push(value);
            else if (field === 'id') lastEventId = value;
          }
          if (data.length === 0 && type === 'message') continue;
          if (this.readyState === this.CLOSED) return;
          this.dispatchEvent(new MessageEvent(type, { data: data.join('\n'), lastEventId }));
        }
      }
      this.readyState = this.CLOSED;
      this.dispatchEvent(new Event('error'));
    } catch {
      if (this.readyState === this.CLOSED) return;
      this.readyState = this.CLOSED;
      this.dispatchEvent(new Event('error'));
    }
  }
}
