public import JSONCore

/// A string enumeration that stays open: a value this build does not know (a new
/// `activityType` added by Wix) decodes and re-encodes unchanged instead of failing.
///
/// Validation of client input against the known values is separate (``isKnown``), so the store
/// can reject an invalid `tag` while the client still reads any value the server sends.
public protocol OpenEnum: RawRepresentable<String>, Hashable, Sendable, Codable, JSONRepresentable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The values the Wix reference lists.
    static var knownValues: [Self] { get }
    init(rawValue: String)
}

extension OpenEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }

    /// Whether the value is one the Wix reference lists.
    public var isKnown: Bool { Self.knownValues.contains(self) }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard case .string(let value) = json else {
            context.typeMismatch(path, expected: "a string", found: json)
            return nil
        }
        self.init(rawValue: value)
    }

    public var json: JSONValue { .string(rawValue) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The type of an email address.
public struct EmailTag: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let knownValues: [EmailTag] = ["UNTAGGED", "MAIN", "HOME", "WORK"]
}

/// The type of a phone number.
public struct PhoneTag: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let knownValues: [PhoneTag] = ["UNTAGGED", "MAIN", "HOME", "MOBILE", "WORK", "FAX"]
}

/// The type of a street address.
public struct AddressTag: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let knownValues: [AddressTag] = ["UNTAGGED", "HOME", "WORK", "BILLING", "SHIPPING"]
}

/// Where a contact came from.
public struct ContactSourceType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let other: ContactSourceType = "OTHER"
    public static let siteMembers: ContactSourceType = "WIX_SITE_MEMBERS"
    public static let knownValues: [ContactSourceType] = [
        "OTHER", "ADMIN", "WIX_APP", "IMPORT", "THIRD_PARTY", "WIX_BOOKINGS", "WIX_CHAT", "WIX_EMAIL_MARKETING",
        "WIX_EVENTS", "WIX_FORMS", "WIX_GROUPS", "WIX_HOTELS", "WIX_MARKET_PLACE", "WIX_MUSIC", "WIX_RESTAURANTS",
        "WIX_SITE_MEMBERS", "WIX_STORES", "WIX_CODE", "HOPP",
    ]
}

/// A contact's last action on the site.
public struct ContactActivityType: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let contactCreated: ContactActivityType = "CONTACT_CREATED"
    public static let knownValues: [ContactActivityType] = [
        "GENERAL", "CONTACT_CREATED", "MEMBER_LOGIN", "MEMBER_REGISTER", "MEMBER_STATUS_CHANGED", "FORM_SUBMITTED",
        "INBOX_FORM_SUBMITTED", "INBOX_PAYMENT_REQUEST_PAID", "INBOX_MESSAGE_TO_CUSTOMER",
        "INBOX_MESSAGE_FROM_CUSTOMER",
        "NEWSLETTER_SUBSCRIPTION_FORM_SUBMITTED", "NEWSLETTER_SUBSCRIPTION_UNSUBSCRIBE", "ECOM_PURCHASE",
        "ECOM_CART_ABANDON", "ECOM_CHECKOUT_BUYER", "BOOKINGS_APPOINTMENT", "HOTELS_RESERVATION", "HOTELS_PURCHASE",
        "HOTELS_CONFIRMATION", "HOTELS_CANCEL", "VIDEO_PURCHASE", "VIDEO_RENT", "CASHIER_BUTTON_PURCHASE",
        "ARENA_NEW_LEAD", "EVENTS_RSVP", "INVOICE_PAY", "INVOICE_OVERDUE", "PRICE_QUOTE_ACCEPT", "PRICE_QUOTE_EXPIRE",
        "RESTAURANTS_ORDER", "RESTAURANTS_RESERVATION", "SHOUTOUT_OPEN", "SHOUTOUT_CLICK", "CONTACT_MERGED",
        "NEWSLETTER_SUBSCRIPTION_SUBSCRIBE", "NEWSLETTER_SUBSCRIPTION_PENDING", "NEWSLETTER_SUBSCRIPTION_NOT_SET",
        "PHONE_SUBSCRIPTION_SUBSCRIBE", "PHONE_SUBSCRIPTION_PENDING", "PHONE_SUBSCRIPTION_NOT_SET",
        "PHONE_SUBSCRIPTION_UNSUBSCRIBE",
    ]
}

/// Opt-in status for marketing email or SMS.
public struct SubscriptionStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let notSet: SubscriptionStatus = "NOT_SET"
    public static let noSubscriptionStatus: SubscriptionStatus = "NO_SUBSCRIPTION_STATUS"
    public static let knownValues: [SubscriptionStatus] = [
        "NO_SUBSCRIPTION_STATUS", "NOT_SET", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED",
    ]
}

/// Last reported delivery status of email sent to a contact.
public struct EmailDeliverabilityStatus: OpenEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let notSet: EmailDeliverabilityStatus = "NOT_SET"
    public static let knownValues: [EmailDeliverabilityStatus] = [
        "NOT_SET", "VALID", "BOUNCED", "SPAM_COMPLAINT", "INACTIVE",
    ]
}
