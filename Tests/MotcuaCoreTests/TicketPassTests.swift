import Crypto
import Foundation
import Testing
@testable import MotcuaCore

struct TicketPassTests {
    let key = TicketPassKey(derivedFrom: PassKeys.generate())

    @Test func aPassReadsBackAsTheTicketItWasMadeFor() throws {
        let pass = TicketPass(site: "hn-dong-da", ticketId: 123_456)

        let text = try key.text(of: pass)

        #expect(text.hasPrefix("MT1.hn-dong-da.123456."))
        #expect(text.count == "MT1.hn-dong-da.123456.".count + 16, "a 96-bit tag in base64url")
        #expect(key.verify(text) == .success(pass))
        #expect(key.verify(text + "\r\n") == .success(pass), "the scanner's Enter is ignored")
    }

    @Test func everyAlteredCharacterIsRefused() throws {
        let text = try key.text(of: TicketPass(site: "demo", ticketId: 42))

        for index in text.indices {
            var altered = text
            altered.replaceSubrange(index...index, with: text[index] == "x" ? "y" : "x")
            #expect((try? key.verify(altered).get()) == nil, "changed at \(text.distance(from: text.startIndex, to: index))")
        }
    }

    @Test func anotherSitesKeyOrAnotherSpellingIsNotThisSitesTicket() throws {
        let text = try key.text(of: TicketPass(site: "demo", ticketId: 42))
        let other = TicketPassKey(derivedFrom: PassKeys.generate())
        let tag = text.split(separator: ".").last!

        #expect(other.verify(text) == .failure(.forged))
        #expect(key.verify("MT1.demo.042.\(tag)") == .failure(.malformed))
        #expect(key.verify("MT1.demo.+42.\(tag)") == .failure(.malformed))
        #expect(key.verify("MT2.demo.42.\(tag)") == .failure(.malformed))
        #expect(key.verify("MT1.demo.42") == .failure(.malformed))
        #expect(key.verify("MT1.de mo.42.\(tag)") == .failure(.malformed))
        #expect(key.verify("MT1.demo.43.\(tag)") == .failure(.forged))
        #expect(key.verify("MT1.demo.42.\(tag)A") == .failure(.forged))
        #expect(key.verify(String(repeating: "A", count: 200)) == .failure(.malformed))
    }

    @Test func theKeyFollowsTheSigningKeyItIsDerivedFrom() throws {
        let signing = PassKeys.generate()
        let text = try TicketPassKey(derivedFrom: signing).text(of: TicketPass(site: "demo", ticketId: 7))
        let restarted = TicketPassKey(derivedFrom: try PassKeys.privateKey(text: PassKeys.text(of: signing)))

        #expect(restarted.verify(text) == .success(TicketPass(site: "demo", ticketId: 7)))
    }

    @Test func aSiteOutsideThePassAlphabetCannotBeWritten() {
        #expect(throws: PassSigningError.unencodable(field: "site")) {
            try key.text(of: TicketPass(site: "Đống Đa", ticketId: 1))
        }
        #expect(throws: PassSigningError.unencodable(field: "ticketId")) {
            try key.text(of: TicketPass(site: "demo", ticketId: -1))
        }
    }
}
