import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { LockSignature } from './lock-file';

/**
 * Ed25519 signatures over a lock file, so a team can share an approved lock and notice when
 * someone without the key edits it.
 *
 * The signature lives inside the lock (`"signature"`), so there is one file to commit and review.
 * It covers the lock's canonical content: the parsed document without its `signature` field,
 * serialised with sorted keys and no whitespace (canonical-json.ts), after a fixed context line.
 * Verifying works on the document as parsed, not on the validated model, so no field, known or
 * unknown, can be added or changed without breaking the signature, while re-indenting the file
 * or reordering its keys does not. The context line keeps a signature from being replayed as a
 * signature of anything else the same key signs.
 */

const SIGNING_CONTEXT = 'skill-sentinel lock file v1\n';

export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export interface SigningKeyPair {
  /** PKCS#8 PEM; unencrypted, so it must be written with owner-only permissions. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
  readonly keyId: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SigningKeyError('it is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`it is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return key;
}

export function loadPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new SigningKeyError('it is not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`it is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return key;
}

/** `sha256:<hex>` of the public key's SPKI DER encoding. Accepts either half of a pair. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** The exact bytes a lock signature covers. */
export function signedLockContent(document: unknown): Buffer {
  const unsigned = withoutSignature(document);
  return Buffer.from(SIGNING_CONTEXT + canonicalJson(unsigned), 'utf8');
}

export function signLock(document: unknown, privateKey: KeyObject): LockSignature {
  return {
    algorithm: 'ed25519',
    keyId: keyIdOf(privateKey),
    value: sign(null, signedLockContent(document), privateKey).toString('base64'),
  };
}

export type SignatureCheck =
  | { readonly status: 'valid'; readonly keyId: string }
  | { readonly status: 'missing' }
  | { readonly status: 'wrong-key'; readonly keyId: string; readonly trustedKeyId: string }
  | { readonly status: 'invalid'; readonly keyId: string };

/**
 * Checks the signature of a parsed lock document against the trusted public key. A signature
 * made by another key is reported as such (its key id is only a label, so this is decided by the
 * trusted key's own id, and the cryptographic check still has the last word).
 */
export function checkLockSignature(document: unknown, trustedKey: KeyObject): SignatureCheck {
  const signature = signatureOf(document);
  if (signature === undefined) return { status: 'missing' };
  const trustedKeyId = keyIdOf(trustedKey);
  let valid: boolean;
  try {
    valid = verify(null, signedLockContent(document), trustedKey, Buffer.from(signature.value, 'base64'));
  } catch {
    valid = false; // a signature of the wrong length, for instance
  }
  if (valid) return { status: 'valid', keyId: trustedKeyId };
  if (signature.keyId !== trustedKeyId) return { status: 'wrong-key', keyId: signature.keyId, trustedKeyId };
  return { status: 'invalid', keyId: signature.keyId };
}

function signatureOf(document: unknown): { keyId: string; value: string } | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const signature = (document as Record<string, unknown>).signature;
  if (signature === null || typeof signature !== 'object') return undefined;
  const { keyId, value } = signature as Record<string, unknown>;
  return typeof keyId === 'string' && typeof value === 'string' ? { keyId, value } : undefined;
}

function withoutSignature(document: unknown): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  return Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'signature'));
}
