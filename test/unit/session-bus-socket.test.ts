import { describe, expect, it } from 'vitest';
import { sessionBusSocket } from '../../src/main/secrets/secret-service-search';

// Addresses as the D-Bus Specification ("Server Addresses") writes them: `transport:key=value,…`, several
// separated by `;`, values %-escaped. The lock check must dial the bus libsecret uses, or it tells nothing.
describe('sessionBusSocket: the bus the lock check dials', () => {
  it('takes path= of a unix address, unescaped, and ignores the guid', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/my%20bus,guid=0123abcd' })).toBe('/run/user/1000/my bus');
  });

  it('dials abstract= through a path starting with a nul byte', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-XYZ,guid=0123abcd' })).toBe('\0/tmp/dbus-XYZ');
  });

  it('takes the first address it can dial when several are given', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1234;unix:path=/run/user/1000/bus' })).toBe('/run/user/1000/bus');
  });

  it('without DBUS_SESSION_BUS_ADDRESS, uses $XDG_RUNTIME_DIR/bus, and else has nothing to dial', () => {
    expect(sessionBusSocket({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/bus');
    expect(sessionBusSocket({})).toBeUndefined();
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1234' })).toBeUndefined();
  });
});
