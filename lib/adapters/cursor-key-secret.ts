import * as config from '../config.ts';
import { configuredKey } from './configured-key.ts';

/** The cursor key from CURSOR_KEY, or from Secrets Manager in AWS: only the functions that list hand it to signCursorsWith. */
export const cursorKeySecret = configuredKey('cursor key', config.cursorKey, config.cursorKeySecretArn);
