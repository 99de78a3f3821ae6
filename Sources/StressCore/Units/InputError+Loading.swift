extension InputError {
    /// Runs `load` on a file a user named; any failure becomes an input
    /// error naming the flag and the file, e.g. for TLS certificates.
    public static func loading<Loaded>(
        _ field: String, _ path: String, as what: String, _ load: (String) throws -> Loaded
    ) throws(InputError) -> Loaded {
        do {
            return try load(path)
        } catch {
            throw .rejected(field: field, reason: "cannot load \(path) as \(what): \(error)")
        }
    }
}
