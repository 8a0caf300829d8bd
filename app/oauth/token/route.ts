// POST /oauth/token — authorization code (with PKCE) and refresh token exchanges
import { corsPreflight, handleToken } from '@/lib/oauth/http-endpoints';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export { handleToken as POST, corsPreflight as OPTIONS };
