// A host name (RFC 1123 labels) or an IPv4 address, or a bracketed/plain IPv6 address.
const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6Pattern = /^\[?[0-9a-f:]+(%[a-z0-9]+)?\]?$/i;
// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidHost(value: string): boolean {
  if (ipv4Pattern.test(value)) return true;
  if (value.includes(':')) return ipv6Pattern.test(value);
  // A dotted quad that failed the IPv4 test is a bad address, not a host name.
  if (/^[\d.]+$/.test(value)) return false;
  return hostNamePattern.test(value);
}

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && emailPattern.test(value);
}
