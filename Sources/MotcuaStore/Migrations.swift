import GRDB

/// Versioned schema. A released migration is never edited: change the schema by appending
/// a new one, and keep `Tests/MotcuaStoreTests/Fixtures` able to prove an old database
/// still migrates with its data.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.create(table: "service") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("nameEn", .text).notNull()
                t.column("kind", .text).notNull().check { ["submission", "clinic"].contains($0) }
                t.column("prefix", .text).notNull().unique()
                t.column("position", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "counter") { t in
                t.primaryKey("id", .integer)
                t.column("name", .text).notNull()
                t.column("isOpen", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "counterService") { t in
                t.belongsTo("counter", onDelete: .cascade).notNull()
                t.belongsTo("service", onDelete: .cascade).notNull()
                t.primaryKey(["counterId", "serviceId"])
            }
            try db.create(table: "procedure") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("nameEn", .text).notNull()
                t.column("field", .text).notNull()
                t.column("agency", .text).notNull()
                t.column("level", .text).notNull()
                t.belongsTo("service").notNull()
                t.column("processingDays", .integer).notNull().check { $0 >= 0 }
                t.column("fees", .jsonText).notNull()
                t.column("documents", .jsonText).notNull()
                t.column("source", .text)
            }
            try db.create(table: "slot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("service").notNull()
                t.column("start", .datetime).notNull()
                t.column("end", .datetime).notNull()
                t.column("capacity", .integer).notNull().check { $0 >= 0 }
                t.column("booked", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
                t.uniqueKey(["serviceId", "start"])
            }
            try db.create(table: "apiToken") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique(onConflict: .abort)
                t.column("displayName", .text).notNull()
                t.column("role", .text).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
        }
        return migrator
    }
}
