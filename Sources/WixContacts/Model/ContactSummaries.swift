public import JSONCore

/// Where a contact came from.
public struct ContactSource: JSONModel, JSONObjectModel, Hashable {
    /// The source type; `OTHER` for contacts created through this API without one.
    public var sourceType: ContactSourceType?
    /// The app that created the contact, if any.
    public var appId: String?

    /// Creates a source.
    public init(sourceType: ContactSourceType? = nil, appId: String? = nil) {
        self.sourceType = sourceType
        self.appId = appId
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        sourceType = reader.value("sourceType")
        appId = reader.string("appId")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("sourceType", sourceType)
        object.appendIfPresent("appId", appId)
    }
}

/// A contact's last action on the site.
public struct ContactActivity: JSONModel, JSONObjectModel, Hashable {
    /// When it happened (RFC 3339).
    public var activityDate: String?
    /// What it was.
    public var activityType: ContactActivityType?

    /// Creates an activity.
    public init(activityDate: String? = nil, activityType: ContactActivityType? = nil) {
        self.activityDate = activityDate
        self.activityType = activityType
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        activityDate = reader.string("activityDate")
        activityType = reader.value("activityType")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("activityDate", activityDate)
        object.appendIfPresent("activityType", activityType)
    }
}

/// The primary email and phone, as plain strings.
public struct PrimaryContactInfo: JSONModel, JSONObjectModel, Hashable {
    /// The primary email address.
    public var email: String?
    /// The primary phone number as entered.
    public var phone: String?

    /// Creates primary info.
    public init(email: String? = nil, phone: String? = nil) {
        self.email = email
        self.phone = phone
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        email = reader.string("email")
        phone = reader.string("phone")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("email", email)
        object.appendIfPresent("phone", phone)
    }
}

/// The primary email with its subscription and deliverability status.
public struct PrimaryEmail: JSONModel, JSONObjectModel, Hashable {
    /// The address.
    public var email: String?
    /// Marketing opt-in status.
    public var subscriptionStatus: SubscriptionStatus?
    /// Last delivery status.
    public var deliverabilityStatus: EmailDeliverabilityStatus?

    /// Creates primary email details.
    public init(
        email: String? = nil, subscriptionStatus: SubscriptionStatus? = nil,
        deliverabilityStatus: EmailDeliverabilityStatus? = nil
    ) {
        self.email = email
        self.subscriptionStatus = subscriptionStatus
        self.deliverabilityStatus = deliverabilityStatus
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        email = reader.string("email")
        subscriptionStatus = reader.value("subscriptionStatus")
        deliverabilityStatus = reader.value("deliverabilityStatus")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("email", email)
        object.appendIfPresent("subscriptionStatus", subscriptionStatus)
        object.appendIfPresent("deliverabilityStatus", deliverabilityStatus)
    }
}

/// The primary phone with its derived forms and SMS subscription status.
public struct PrimaryPhone: JSONModel, JSONObjectModel, Hashable {
    /// ISO-3166 alpha-2 country of the number.
    public var countryCode: String?
    /// E.164 form, when the number is valid.
    public var e164Phone: String?
    /// International display form, when the number is valid.
    public var formattedPhone: String?
    /// SMS opt-in status.
    public var subscriptionStatus: SubscriptionStatus?
    /// The number as entered.
    public var phone: String?

    /// Creates primary phone details.
    public init(
        countryCode: String? = nil, e164Phone: String? = nil, formattedPhone: String? = nil,
        subscriptionStatus: SubscriptionStatus? = nil, phone: String? = nil
    ) {
        self.countryCode = countryCode
        self.e164Phone = e164Phone
        self.formattedPhone = formattedPhone
        self.subscriptionStatus = subscriptionStatus
        self.phone = phone
    }

    public init?(json: JSONValue, path: String, context: JSONDecodingContext) {
        guard var reader = ObjectReader(json, path: path, context: context) else { return nil }
        countryCode = reader.string("countryCode")
        e164Phone = reader.string("e164Phone")
        formattedPhone = reader.string("formattedPhone")
        subscriptionStatus = reader.value("subscriptionStatus")
        phone = reader.string("phone")
        reader.finish()
    }

    public func appendMembers<Members: JSONMembers>(to object: inout Members) {
        object.appendIfPresent("countryCode", countryCode)
        object.appendIfPresent("e164Phone", e164Phone)
        object.appendIfPresent("formattedPhone", formattedPhone)
        object.appendIfPresent("subscriptionStatus", subscriptionStatus)
        object.appendIfPresent("phone", phone)
    }
}
