// POST /oauth/register — dynamic client registration (RFC 7591)
import { corsPreflight, handleRegistration } from '@/lib/oauth/http-endpoints';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export { handleRegistration as POST, corsPreflight as OPTIONS };
