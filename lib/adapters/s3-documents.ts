import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { maxUploadBytes, sniffBytes, type DocumentFiles } from '../domain/document-upload.ts';
import * as config from '../config.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Created once per container. Locally AWS_ENDPOINT_URL_S3 names the local S3 server, which serves buckets by path.
const s3 = observed(new S3Client({ ...clientDefaults, forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined }));

const secondsUntil = (at: Date) => Math.max(1, Math.round((at.getTime() - Date.now()) / 1000));
const isMissing = (error: unknown) => error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey');

// The adapter in parts, each granted apart (lib/wiring.ts), so a function bundles only the presigner it signs with.
/** The signed form a browser posts one file with. */
export const s3UploadForms: Pick<DocumentFiles, 'uploadForm'> = {
  async uploadForm(key, contentType, expiresAt) {
    return createPresignedPost(s3, {
      Bucket: config.documentBucket(),
      Key: key,
      Conditions: [
        ['content-length-range', 1, maxUploadBytes],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: secondsUntil(expiresAt),
    });
  },
};

/** Plain calls on the files themselves: no signing. */
export const s3DocumentFiles: Pick<DocumentFiles, 'inspect' | 'remove' | 'removeAll'> = {
  async inspect(key) {
    const Bucket = config.documentBucket();
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
      const size = head.ContentLength ?? 0;
      if (size === 0) return { size, firstBytes: new Uint8Array() };
      const start = await s3.send(new GetObjectCommand({ Bucket, Key: key, Range: `bytes=0-${sniffBytes - 1}` }));
      return { size, firstBytes: (await start.Body?.transformToByteArray()) ?? new Uint8Array() };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async remove(key) {
    await s3.send(new DeleteObjectCommand({ Bucket: config.documentBucket(), Key: key }));
  },

  async removeAll(prefix) {
    const Bucket = config.documentBucket();
    // Listed again after each page is deleted, so a run cut short resumes where the bucket is, not where it was.
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ Key: object.Key }]));
      if (keys.length === 0) return;
      const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
      const failed = deleted.Errors ?? [];
      if (failed.length > 0) throw new Error(`${failed.length} objects not deleted under the prefix: ${failed[0]?.Code ?? 'unknown'}`);
    }
  },
};

/** A link that downloads one file for a while, under the name its client gave it. */
export const s3DownloadLinks: Pick<DocumentFiles, 'downloadLink'> = {
  async downloadLink(key, name, expiresAt) {
    const command = new GetObjectCommand({
      Bucket: config.documentBucket(),
      Key: key,
      // The name the client gave, quoted safely: only the encoded form carries anything beyond plain ASCII.
      ResponseContentDisposition: `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
    return getSignedUrl(s3, command, { expiresIn: secondsUntil(expiresAt) });
  },
};
