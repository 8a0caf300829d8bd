// OAuth's own error codes (RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2, RFC 8707) carried on the
// one AppError type: the code maps to HTTP as usual, `details.oauthError` is what the OAuth
// response names, so the token and registration endpoints answer the way clients expect.
import { AppError } from '../errors';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'access_denied';

export function oauthError(code: OAuthErrorCode, description: string): AppError {
  return new AppError(code === 'invalid_client' ? 'unauthenticated' : 'invalid_input', description, {
    oauthError: code,
  });
}

export function oauthErrorCode(error: AppError): OAuthErrorCode | undefined {
  const code = error.details?.oauthError;
  return typeof code === 'string' ? (code as OAuthErrorCode) : undefined;
}
