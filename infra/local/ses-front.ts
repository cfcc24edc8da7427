// The local SES endpoint: passes every call through, unchanged, to aws-ses-v2-local (which keeps no message tags
// or configuration set) and, once it has taken a SendEmail, hands what was sent to `onSent`, the way SES goes on
// to publish the email's events after answering. Loopback only, like the other stand-ins.
import { createServer, request, type IncomingMessage } from 'node:http';
import { sentEmailOf, type SentEmail } from './mailbox-simulator.ts';

const loopback = '127.0.0.1';

const bodyOf = (stream: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

export interface SesFront {
  close(): Promise<void>;
}

/** Listens on `port`, forwarding to the local SES on `backendPort`. */
export const startSesFront = async (port: number, backendPort: number, onSent: (sent: SentEmail) => void): Promise<SesFront> => {
  const server = createServer(async (incoming, outgoing) => {
    try {
      const body = await bodyOf(incoming);
      const upstream = request({ host: loopback, port: backendPort, method: incoming.method, path: incoming.url, headers: incoming.headers });
      upstream.on('error', () => outgoing.writeHead(502).end());
      upstream.on('response', async (answer) => {
        const reply = await bodyOf(answer);
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers).end(reply);
        const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(reply.toString('utf8'))?.[1];
        if (answer.statusCode !== 200 || incoming.method !== 'POST' || messageId === undefined) return;
        const sent = sentEmailOf(new URLSearchParams(body.toString('utf8')), messageId);
        if (sent) onSent(sent);
      });
      upstream.end(body);
    } catch {
      outgoing.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, loopback, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
