import Foundation
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
        migrator.registerMigration("v2-calendar-bookings") { db in
            // How each service opens from a date on; the latest one not after a day applies.
            try db.create(table: "slotTemplate") { t in
                t.belongsTo("service", onDelete: .cascade).notNull()
                t.column("effectiveFrom", .text).notNull()
                t.column("template", .jsonText).notNull()
                t.primaryKey(["serviceId", "effectiveFrom"])
            }
            // The government's yearly holiday notice, as a manager entered it.
            try db.create(table: "holidayNotice") { t in
                t.primaryKey("year", .integer)
                t.column("notice", .jsonText).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text).notNull()
            }
            // Dossiers received at or after this local time count from the next working day.
            try db.alter(table: "procedure") { t in t.add(column: "receptionCutoff", .text) }
            try db.create(table: "booking") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull().unique()
                t.belongsTo("slot").notNull()
                t.belongsTo("service").notNull()
                // The slot's date at the site, for the one-booking-per-person-per-day rule.
                t.column("day", .text).notNull()
                t.column("fullName", .text).notNull()
                t.column("idNumber", .text).notNull()
                t.column("phone", .text).notNull()
                t.column("status", .text).notNull()
                    .check { ["booked", "cancelled", "checked_in", "no_show", "displaced"].contains($0) }
                t.column("needsContact", .boolean).notNull().defaults(to: false)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            // The database itself refuses a second active booking for a person, service and day,
            // whatever the code above it does.
            try db.execute(sql: """
                CREATE UNIQUE INDEX booking_active_per_person_day ON booking(idNumber, serviceId, day)
                WHERE status IN ('booked', 'checked_in')
                """)
            try db.create(index: "booking_person", on: "booking", columns: ["idNumber", "status"])
            try db.create(index: "booking_slot", on: "booking", columns: ["slotId", "status"])
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("before", .jsonText)
                t.column("after", .jsonText)
            }
        }
        migrator.registerMigration("v3-queue") { db in
            // The last number issued per service and local day: taking the next one is a single
            // upsert inside the issuing transaction, so no number is ever issued twice.
            try db.create(table: "ticketSequence") { t in
                t.belongsTo("service", onDelete: .cascade).notNull()
                t.column("day", .text).notNull()
                t.column("last", .integer).notNull()
                t.primaryKey(["serviceId", "day"])
            }
            try db.create(table: "ticket") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("service").notNull()
                t.column("day", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("number", .text).notNull()
                t.column("status", .text).notNull()
                    .check { ["waiting", "called", "done", "no_show"].contains($0) }
                t.column("priority", .text)
                t.belongsTo("booking")
                t.column("bookedStart", .datetime)
                // The counter serving the ticket, or the one it was transferred to.
                t.belongsTo("counter")
                t.column("issuedAt", .datetime).notNull()
                t.column("calledAt", .datetime)
                t.column("recalls", .integer).notNull().defaults(to: 0)
                t.column("finishedAt", .datetime)
                t.column("rating", .integer)
                t.uniqueKey(["serviceId", "day", "sequence"])
            }
            try db.create(index: "ticket_waiting", on: "ticket", columns: ["status", "serviceId"])
            try db.create(index: "ticket_booking", on: "ticket", columns: ["bookingId"], unique: true)
            // Fairness state of the call order, per counter.
            try db.create(table: "callHistory") { t in
                t.primaryKey("counterId", .integer).references("counter", onDelete: .cascade)
                t.column("history", .jsonText).notNull()
            }
            // Every event another node must learn of, written in the same transaction as the
            // change itself; the sync service drains it in id order.
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("eventId", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("payload", .jsonText).notNull()
                t.column("occurredAt", .datetime).notNull()
                t.column("sentAt", .datetime)
            }
        }
        migrator.registerMigration("v4-queue-lines") { db in
            // A waiting ticket's line (its service, that day) in arrival order, and the day's
            // latest finishes per service: every kiosk ticket's position and wait estimate
            // reads these, and must not read the whole day.
            try db.create(index: "ticket_line", on: "ticket", columns: ["day", "serviceId", "status", "issuedAt"])
            try db.create(index: "ticket_finished", on: "ticket", columns: ["day", "serviceId", "status", "finishedAt"])
        }
        migrator.registerMigration("v5-print-jobs") { db in
            // Every print, kept whatever the printer did: a ticket stays valid and can be
            // printed again from the kiosk or the counter.
            try db.create(table: "printJob") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("document", .text).notNull()  // "ticket:12", "booking:K7MQ3XHP"
                t.column("printerId", .text).notNull()
                t.column("queue", .text).notNull()
                t.column("cupsJobId", .integer)
                t.column("state", .text).notNull()
                t.column("reason", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "printJob_document", on: "printJob", columns: ["document"])
        }
        migrator.registerMigration("v6-procedure-wizard") { db in
            // The dossier wizard's parts of a procedure (docs/procedures.md): its e-form and the
            // ways its result can be received. Procedures saved before have no e-form, and the desk.
            try db.alter(table: "procedure") { t in
                t.add(column: "eform", .jsonText).notNull().defaults(to: "[]")
                t.add(column: "resultDelivery", .jsonText).notNull().defaults(to: #"["desk"]"#)
            }
        }
        migrator.registerMigration("v7-queue-line-covering") { db in
            // A ticket's place is counted over this index alone: with counterId in it, the
            // count never visits the table (it did once per ticket ahead, on every issue).
            try db.drop(index: "ticket_line")
            try db.create(index: "ticket_line", on: "ticket", columns: ["day", "serviceId", "status", "counterId", "issuedAt"])
        }
        migrator.registerMigration("v8-dossiers") { db in
            // Drafts are the wizard's state, saved whole after every step; `purged` marks
            // one whose personal data the idle sweep has already removed.
            try db.create(table: "dossierDraft") { t in
                t.primaryKey("code", .text)
                t.column("body", .jsonText).notNull()
                t.column("lastActivity", .datetime).notNull()
                t.column("resumableUntil", .datetime).notNull()
                t.column("purged", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "dossierDraft_idle", on: "dossierDraft", columns: ["purged", "lastActivity"])
            try db.create(index: "dossierDraft_expiry", on: "dossierDraft", columns: ["resumableUntil"])
            // Numbers that must never repeat: dossier codes per day ("code", "2027-03-01")
            // and the receipt register per year ("register", "2027").
            try db.create(table: "dossierSequence") { t in
                t.column("scope", .text).notNull()
                t.column("period", .text).notNull()
                t.column("last", .integer).notNull()
                t.primaryKey(["scope", "period"])
            }
            try db.create(table: "dossier") { t in
                t.primaryKey("code", .text)
                t.column("draftCode", .text).notNull().unique()
                t.column("day", .text).notNull()
                t.column("procedureCode", .text).notNull()
                t.column("serviceId", .text).notNull()
                t.column("status", .text).notNull()
                t.column("body", .jsonText).notNull()
                t.column("ticketId", .integer).references("ticket")
                t.column("bookingId", .integer).references("booking")
                t.column("autofilled", .integer).notNull()
                t.column("filled", .integer).notNull()
                t.column("receivedAt", .datetime)
                t.column("expectedReturnDate", .text)
                t.column("registerNumber", .integer)
                t.column("officer", .text)
                t.column("decision", .jsonText)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "dossier_ticket", on: "dossier", columns: ["ticketId"])
            try db.create(index: "dossier_booking", on: "dossier", columns: ["bookingId"])
            try db.create(index: "dossier_day", on: "dossier", columns: ["day"])
        }
        migrator.registerMigration("v9-sync") { db in
            // At a site: what is still to be pushed, found without reading the sent ones.
            try db.execute(sql: "CREATE INDEX outbox_pending ON outbox(id) WHERE sentAt IS NULL")
            // At the centre: every site's events exactly once (the unique pair is the
            // idempotency key), the site's cursor, and its tickets as its events left them.
            try db.create(table: "syncSite") { t in
                t.primaryKey("siteId", .text)
                t.column("cursor", .integer).notNull()
                t.column("eventsReceived", .integer).notNull()
                t.column("lastEventAt", .datetime)
                t.column("lastBatchAt", .datetime).notNull()
            }
            try db.create(table: "syncEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("siteId", .text).notNull()
                t.column("eventId", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("payload", .jsonText).notNull()
                t.column("occurredAt", .datetime).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.uniqueKey(["siteId", "eventId"])
            }
            try db.create(index: "syncEvent_kind", on: "syncEvent", columns: ["siteId", "kind", "occurredAt"])
            try db.create(table: "syncTicket") { t in
                t.column("siteId", .text).notNull()
                t.column("ticketId", .integer).notNull()
                t.column("serviceId", .text).notNull()
                t.column("day", .text).notNull()
                t.column("number", .text).notNull()
                t.column("status", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.primaryKey(["siteId", "ticketId"])
            }
            try db.create(index: "syncTicket_day", on: "syncTicket", columns: ["siteId", "day", "status"])
        }
        migrator.registerMigration("v10-sync-config") { db in
            // At the centre: the configuration version each site last applied.
            try db.create(table: "syncSiteConfig") { t in
                t.primaryKey("siteId", .text)
                t.column("version", .text).notNull()
                t.column("appliedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v11-outbox-cursors") { db in
            // Consumers of the outbox other than the centre push (the national portal export)
            // keep their own place in it, so each reads every event in order exactly once.
            try db.create(table: "outboxCursor") { t in
                t.primaryKey("consumer", .text)
                t.column("lastId", .integer).notNull()
            }
        }
        migrator.registerMigration("v12-ticket-number-per-day") { db in
            // A transferred ticket keeps its number in another service's queue, so a service's
            // (day, sequence) may meet a number of another prefix; what must never repeat is a
            // number on a day, and each service's prefix is its own. SQLite cannot change a
            // table's constraints: the table is rebuilt (foreign keys are checked at the end).
            try db.create(index: "service_prefix", on: "service", columns: ["prefix"], unique: true)
            try db.create(table: "ticketRebuilt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("service").notNull()
                t.column("day", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("number", .text).notNull()
                t.column("status", .text).notNull()
                    .check { ["waiting", "called", "done", "no_show"].contains($0) }
                t.column("priority", .text)
                t.belongsTo("booking")
                t.column("bookedStart", .datetime)
                t.belongsTo("counter")
                t.column("issuedAt", .datetime).notNull()
                t.column("calledAt", .datetime)
                t.column("recalls", .integer).notNull().defaults(to: 0)
                t.column("finishedAt", .datetime)
                t.column("rating", .integer)
                t.uniqueKey(["day", "number"])
            }
            let columns = """
                id, serviceId, day, sequence, number, status, priority, bookingId, bookedStart, counterId, issuedAt, calledAt,
                recalls, finishedAt, rating
                """
            try db.execute(sql: "INSERT INTO ticketRebuilt (\(columns)) SELECT \(columns) FROM ticket")
            try db.drop(table: "ticket")
            try db.rename(table: "ticketRebuilt", to: "ticket")
            try db.create(index: "ticket_waiting", on: "ticket", columns: ["status", "serviceId"])
            try db.create(index: "ticket_booking", on: "ticket", columns: ["bookingId"], unique: true)
            try db.create(index: "ticket_line", on: "ticket", columns: ["day", "serviceId", "status", "counterId", "issuedAt"])
            try db.create(index: "ticket_finished", on: "ticket", columns: ["day", "serviceId", "status", "finishedAt"])
        }
        migrator.registerMigration("v13-bookings-across-sites") { db in
            // In a split deployment the centre holds the bookings and a site checks them in
            // from their signed pass alone, so a ticket names its booking by code (unique: a
            // booking is checked in once), and a booking names the office it is for.
            try db.alter(table: "ticket") { t in t.add(column: "bookingCode", .text) }
            try db.execute(sql: "UPDATE ticket SET bookingCode = (SELECT code FROM booking WHERE booking.id = ticket.bookingId)")
            try db.create(index: "ticket_booking_code", on: "ticket", columns: ["bookingCode"], unique: true)
            try db.alter(table: "booking") { t in t.add(column: "siteId", .text) }
            // The centre's public keys as its last configuration gave them: a site restarted
            // while the centre is out of reach still checks the centre's passes.
            try db.create(table: "centrePassKey") { t in
                t.primaryKey("keyId", .text)
                t.column("publicKey", .text).notNull()
            }
        }
        migrator.registerMigration("v14-personal-data-sealed") { db in
            // ID numbers are matched by a keyed hash and kept sealed, phones sealed, dossiers
            // found by their applicant's hash. A migration has no key: values written before
            // stay plain until start-up seals them (Store.resealPersonalData).
            try db.execute(sql: "ALTER TABLE booking RENAME COLUMN idNumber TO idHash")
            try db.alter(table: "booking") { t in t.add(column: "idNumberSealed", .text) }
            try db.alter(table: "dossier") { t in t.add(column: "applicantHash", .text) }
            try db.create(index: "dossier_applicant", on: "dossier", columns: ["applicantHash"])
            // Who saw, exported or erased whose personal data.
            try db.create(table: "personalDataAccess") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text).notNull()
            }
            try db.create(index: "personalDataAccess_at", on: "personalDataAccess", columns: ["at"])
        }
        migrator.registerMigration("v15-centre-device-files") { db in
            // At a site whose devices the centre manages: the files its configuration last
            // brought, which a restart runs on while the centre is out of reach.
            try db.create(table: "centreDeviceFile") { t in
                t.primaryKey("name", .text)
                t.column("text", .text).notNull()
            }
        }
        migrator.registerMigration("v16-ticket-line-count") { db in
            // How many wait in each line (service, day; not sent to one counter), kept by the
            // database itself on every change of a ticket, so a new ticket's place is the
            // line's length minus the few that came after it, not a count of everyone ahead:
            // issuing a number stays as fast with 30,000 waiting as with 3.
            try db.execute(sql: """
                CREATE TABLE ticketLine (
                    day TEXT NOT NULL, serviceId TEXT NOT NULL, waiting INTEGER NOT NULL,
                    PRIMARY KEY (day, serviceId)
                ) WITHOUT ROWID;
                INSERT INTO ticketLine (day, serviceId, waiting)
                    SELECT day, serviceId, count(*) FROM ticket WHERE status = 'waiting' AND counterId IS NULL GROUP BY day, serviceId;
                CREATE TRIGGER ticketLine_insert AFTER INSERT ON ticket
                WHEN new.status = 'waiting' AND new.counterId IS NULL BEGIN
                    INSERT INTO ticketLine (day, serviceId, waiting) VALUES (new.day, new.serviceId, 1)
                    ON CONFLICT (day, serviceId) DO UPDATE SET waiting = waiting + 1;
                END;
                CREATE TRIGGER ticketLine_leave AFTER UPDATE OF status, counterId, serviceId, day ON ticket
                WHEN old.status = 'waiting' AND old.counterId IS NULL BEGIN
                    UPDATE ticketLine SET waiting = waiting - 1 WHERE day = old.day AND serviceId = old.serviceId;
                END;
                CREATE TRIGGER ticketLine_join AFTER UPDATE OF status, counterId, serviceId, day ON ticket
                WHEN new.status = 'waiting' AND new.counterId IS NULL BEGIN
                    INSERT INTO ticketLine (day, serviceId, waiting) VALUES (new.day, new.serviceId, 1)
                    ON CONFLICT (day, serviceId) DO UPDATE SET waiting = waiting + 1;
                END;
                CREATE TRIGGER ticketLine_delete AFTER DELETE ON ticket
                WHEN old.status = 'waiting' AND old.counterId IS NULL BEGIN
                    UPDATE ticketLine SET waiting = waiting - 1 WHERE day = old.day AND serviceId = old.serviceId;
                END;
                """)
            // The few that overtake a walk-in (priority, bookings), found without visiting the
            // whole line behind them.
            try db.execute(sql: """
                CREATE INDEX ticket_overtaking ON ticket (day, serviceId, issuedAt)
                WHERE status = 'waiting' AND counterId IS NULL AND (priority IS NOT NULL OR bookedStart IS NOT NULL)
                """)
        }
        migrator.registerMigration("v17-dossier-booking-code") { db in
            // A dossier booked at a site holds its booking on the centre's calendar, where no
            // local booking row exists: every booked dossier names its booking by code, as the
            // check-in ticket does.
            try db.alter(table: "dossier") { t in t.add(column: "bookingCode", .text) }
            try db.execute(sql: "UPDATE dossier SET bookingCode = (SELECT code FROM booking WHERE booking.id = dossier.bookingId)")
            try db.create(index: "dossier_booking_code", on: "dossier", columns: ["bookingCode"])
        }
        migrator.registerMigration("v18-booking-indexes-split-by-activity") { db in
            // Every booking dirtied a page in each index of `booking`, and with random keys
            // (code, ID hash) each such page is a WAL frame of its own: the writer's cost per
            // booking was mostly those frames. Two indexes go from the booking path:
            // `booking_on_slotId` repeats the head of `booking_slot (slotId, status)`, and
            // `booking_person (idHash, status)` is replaced by one over the bookings that no
            // longer hold a place, so a new booking (status booked) lands only in
            // `booking_active_per_person_day`. The two partial indexes together cover every row:
            // a person's whole history is read through both (see `BookingRow.ofPerson`).
            try db.execute(sql: """
                DROP INDEX booking_on_slotId;
                DROP INDEX booking_person;
                CREATE INDEX booking_person_past ON booking(idHash) WHERE status NOT IN ('booked', 'checked_in');
                """)
        }
        migrator.registerMigration("v19-indexes-no-query-reads") { db in
            // Two more indexes every booking or ticket wrote and nothing read. GRDB's
            // `belongsTo` indexed `booking.serviceId` for the foreign key, which only a deleted
            // or renamed service would look up, and services are never deleted. The rebuilt
            // ticket table's `ticketRebuilt_on_bookingId` repeats the unique `ticket_booking`.
            try db.execute(sql: """
                DROP INDEX booking_on_serviceId;
                DROP INDEX ticketRebuilt_on_bookingId;
                """)
        }
        migrator.registerMigration("v20-booking-codes-from-numbers") { db in
            // A new booking's code is its row id under a keyed permutation (BookingCodeCipher),
            // so `code` needs no unique index, which took a random page (a WAL frame) with
            // every booking; AUTOINCREMENT goes too: bookings are never deleted, so ids are
            // never reused. The key stays with the database for good. Bookings from before keep
            // their random codes, found through an index over them alone.
            let firstDerived = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM booking") ?? 1
            var generator = SystemRandomNumberGenerator()
            let key = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
            try db.execute(sql: "CREATE TABLE bookingCodeKey (key BLOB NOT NULL, firstDerivedId INTEGER NOT NULL)")
            try db.execute(sql: "INSERT INTO bookingCodeKey (key, firstDerivedId) VALUES (?, ?)", arguments: [key, firstDerived])
            try db.execute(sql: """
                CREATE TABLE bookingRebuilt (
                    "id" INTEGER PRIMARY KEY, "code" TEXT NOT NULL,
                    "slotId" INTEGER NOT NULL REFERENCES "slot"("id"), "serviceId" TEXT NOT NULL REFERENCES "service"("id"),
                    "day" TEXT NOT NULL, "fullName" TEXT NOT NULL, "idHash" TEXT NOT NULL, "phone" TEXT NOT NULL,
                    "status" TEXT NOT NULL CHECK ("status" IN ('booked', 'cancelled', 'checked_in', 'no_show', 'displaced')),
                    "needsContact" BOOLEAN NOT NULL DEFAULT 0, "createdAt" DATETIME NOT NULL, "updatedAt" DATETIME NOT NULL,
                    "siteId" TEXT, "idNumberSealed" TEXT);
                INSERT INTO bookingRebuilt (id, code, slotId, serviceId, day, fullName, idHash, phone, status, needsContact, createdAt, updatedAt, siteId, idNumberSealed)
                    SELECT id, code, slotId, serviceId, day, fullName, idHash, phone, status, needsContact, createdAt, updatedAt, siteId, idNumberSealed FROM booking;
                DROP TABLE booking;
                ALTER TABLE bookingRebuilt RENAME TO booking;
                CREATE UNIQUE INDEX booking_active_per_person_day ON booking(idHash, serviceId, day) WHERE status IN ('booked', 'checked_in');
                CREATE INDEX booking_person_past ON booking(idHash) WHERE status NOT IN ('booked', 'checked_in');
                CREATE INDEX booking_slot ON booking(slotId, status);
                CREATE UNIQUE INDEX booking_code_random ON booking(code) WHERE id < \(firstDerived);
                """)
        }
        return migrator
    }
}
