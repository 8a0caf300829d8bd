// The base URL agents should connect to: AEGIS_PUBLIC_URL when set, else the origin the dashboard
// request came in on.
import { config } from '../config';

export function publicBaseUrl(requestHost: string | null, forwardedProto: string | null): string {
  const configured = config().AEGIS_PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, '');
  const proto = forwardedProto?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${proto}://${requestHost ?? 'localhost:3000'}`;
}
