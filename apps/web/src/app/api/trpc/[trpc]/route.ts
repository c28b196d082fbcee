import { handleTrpcRequest } from "@/server/http-handler";

// Reads the CP on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

const handler = (request: Request) => handleTrpcRequest(request);

export { handler as GET, handler as POST };
