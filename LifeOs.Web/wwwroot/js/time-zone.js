// The device's IANA time zone (Europe/Paris), for proposing it where LifeOs asks for one.
export function browserTimeZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
        return null;
    }
}
