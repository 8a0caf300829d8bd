// GET /.well-known/oauth-authorization-server — authorization server metadata (RFC 8414)
import { corsPreflight, handleAuthorizationServerMetadata } from '@/lib/oauth/http-endpoints';

export const dynamic = 'force-dynamic';

export { handleAuthorizationServerMetadata as GET, corsPreflight as OPTIONS };
