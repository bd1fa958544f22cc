// What the functions use of jose, in one module they load with the first token (shared/http/jwt.ts): a dynamic
// import of the package itself would bundle all of it, this only what verifying takes.
export { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
