import net from 'node:net';

/**
 * A hand-driven HTTP/1.1 connection: write any bytes at any pace, read what the server says and
 * when it hangs up. For what fetch cannot do (stall a body, keep a request half-sent).
 */
export class RawConnection {
  private received = '';
  private closedAt: number | undefined;
  private readonly waiters: (() => void)[] = [];
  readonly openedAt = Date.now();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closedAt = Date.now();
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  get text(): string {
    return this.received;
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** The status of the first response, once its status line has arrived. */
  get status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return match ? Number(match[1]) : undefined;
  }

  /** The body of the first response (Content-Length framed). */
  get body(): string {
    const end = this.received.indexOf('\r\n\r\n');
    return end < 0 ? '' : this.received.slice(end + 4);
  }

  /** Resolves when `done()` holds, or rejects after `ms`. */
  async until(done: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}; received so far: ${JSON.stringify(this.received.slice(0, 300))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
