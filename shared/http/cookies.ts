// The one cookie the booking site sets (the visitor's session): the page edge reads it, and CloudFront
// forwards it and no other cookie to the origin.
export const sessionCookie = '__Host-session';
