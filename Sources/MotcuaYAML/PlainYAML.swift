import Yams

extension Yams.Resolver {
    /// Plain scalars stay text, read as numbers, flags or null by the loader that expects
    /// one (`Node.int`, `.float`, `.null`, `.flag`). Yams' default resolver compiles seven
    /// NSRegularExpressions the first time any YAML is read, which loads ICU's regular
    /// expression engine and data: start-up read YAML, so every server paid for it in
    /// memory while its loaders never needed the tags.
    public static var plain: Resolver { .basic }
}

extension Node {
    /// true or false (yes/no, on/off as YAML 1.1 spells them) written plainly, as Yams reads
    /// a flag; without the resolver's tag, which the plain resolver does not set.
    public var flag: Bool? {
        guard let scalar, scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}
