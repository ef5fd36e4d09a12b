import Foundation
import HarvestCore

/// The fields of a generated task: what a user's scraping task would extract, as a pure function of the
/// row's hash and index. Values are short strings built without formatters: the large task is served at
/// hundreds of thousands of rows a second.
enum RowSchema: Sendable {
    /// The seed document's example: `State`, `City`, `Date`, `Humidity`, `High Temperatures`, `Wind`,
    /// `Low Temperatures`.
    case weather
    /// `Title`, `Price`, `URL`, `Rating`, `In Stock`.
    case products
    /// `Author`, `Stars`, `Title`, `Review` (longer text with quotes and non-ASCII), `Helpful`.
    case reviews

    func fields(index: Int, hash: UInt64) -> [SimulatedRow.Field] {
        var random = SeededGenerator(seed: hash)
        switch self {
        case .weather: return weather(index: index, &random)
        case .products: return products(&random)
        case .reviews: return reviews(&random)
        }
    }

    private func weather(index: Int, _ random: inout SeededGenerator) -> [SimulatedRow.Field] {
        let place = Self.places[index % Self.places.count]
        let day = Self.days[(index / Self.places.count) % Self.days.count]
        let high = 300 + Int(random.next() % 700)
        let low = high - 40 - Int(random.next() % 250)
        return [
            .init("State", place.state), .init("City", place.city), .init("Date", day),
            .init("Humidity", String(10 + random.next() % 90) + "%"),
            .init("High Temperatures", Self.tenths(high) + "F"),
            .init("Wind", Self.windDirections[Int(random.next() % 16)] + " " + String(random.next() % 40) + "km/h"),
            .init("Low Temperatures", Self.tenths(low) + "F"),
        ]
    }

    private func products(_ random: inout SeededGenerator) -> [SimulatedRow.Field] {
        let model = random.next()
        let cents = 99 + Int(random.next() % 50_000)
        return [
            .init(
                "Title",
                Self.adjectives[Int(model % 16)] + " " + Self.nouns[Int((model >> 8) % 16)] + " "
                    + String((model >> 16) % 1000)
            ),
            .init("Price", "$" + String(cents / 100) + "." + Self.twoDigits(cents % 100)),
            .init("URL", "https://shop.example.com/p/" + String(model >> 24, radix: 16)),
            .init("Rating", Self.tenths(10 + Int(random.next() % 41))),
            .init("In Stock", ["yes", "no", ""][Int(random.next() % 3)]),
        ]
    }

    private func reviews(_ random: inout SeededGenerator) -> [SimulatedRow.Field] {
        var review = ""
        for position in 0..<(8 + Int(random.next() % 50)) {
            if position > 0 { review += random.next() % 9 == 0 ? ", " : " " }
            review += Self.reviewWords[Int(random.next() % UInt64(Self.reviewWords.count))]
        }
        return [
            .init("Author", Self.authors[Int(random.next() % UInt64(Self.authors.count))]),
            .init("Stars", String(1 + random.next() % 5)),
            .init("Title", Self.adjectives[Int(random.next() % 16)] + "!"),
            .init("Review", review + "."),
            .init("Helpful", String(random.next() % 200)),
        ]
    }

    /// `723` as `72.3`, and `720` as `72` (the seed's `76F`).
    private static func tenths(_ value: Int) -> String {
        value % 10 == 0 ? String(value / 10) : String(value / 10) + "." + String(value % 10)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    private static let places: [(state: String, city: String)] = [
        ("Texas", "Plano"), ("Texas", "Austin"), ("California", "San José"), ("New York", "Buffalo"),
        ("Illinois", "Chicago"), ("Washington", "Seattle"), ("Florida", "Miami"), ("Colorado", "Denver"),
        ("Hawaiʻi", "Hilo"), ("Arizona", "Phoenix"), ("Oregon", "Portland"), ("Georgia", "Atlanta"),
    ]

    /// Observation dates from 2013-1-1, written as the seed writes them (no zero padding).
    private static let days: [String] = (0..<3_650).map { day in
        let iso = UTCTime.format(Date(timeIntervalSince1970: 1_356_998_400 + TimeInterval(day) * 86_400))
        let parts = iso.prefix(10).split(separator: "-").map { String(Int($0)!) }
        return parts.joined(separator: "-")
    }

    private static let windDirections = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
    ]
    private static let adjectives = [
        "Compact", "Deluxe", "Eco", "Classic", "Smart", "Mini", "Pro", "Ultra", "Rugged", "Silent", "Vintage",
        "Portable", "Wireless", "Large", "Handmade", "Budget",
    ]
    private static let nouns = [
        "Kettle", "Lamp", "Backpack", "Blender", "Headphones", "Chair", "Tent", "Mug", "Drill", "Monitor",
        "Keyboard", "Jacket", "Stroller", "Grill", "Speaker", "Watch",
    ]
    private static let authors = ["Ana", "Björn", "Chloé", "Dmitri", "Émile", "Fatima", "Grace", "Hiro", "Ines", "李雷"]
    private static let reviewWords = [
        "great", "value", "broke", "after", "two", "weeks", "\"premium\"", "my", "kids", "love", "it", "naïve",
        "design", "café-grade", "would", "buy", "again", "not", "worth", "the", "price", "😀", "shipping", "was",
        "slow", "5/5", "10%", "off", "fits", "perfectly", "colour", "faded",
    ]
}
