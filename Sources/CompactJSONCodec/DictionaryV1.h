#ifndef COMPACT_JSON_DICTIONARY_V1_H
#define COMPACT_JSON_DICTIONARY_V1_H

/// Version 1 of the dictionary: the JSON the gateway writes for contacts, rarer members first,
/// since the end of a dictionary is reached with the shortest offsets. Changing one byte would
/// misread every contact stored with it.
static const char dictionaryV1[] =
    "\"picture\":{\"image\":{\"id\":\"\",\"url\":\"https://static.wixstatic.com/media/\",\"height\":0,\"width\":0}},"
    "\"memberInfo\":{\"memberId\":\"\",\"signupDate\":\"\",\"status\":\"APPROVED\",\"emailVerified\":true},"
    "\"source\":{\"sourceType\":\"ADMIN\",\"appId\":\"\"},\"WIX_APP\",\"IMPORT\",\"THIRD_PARTY\","
    "\"activityType\":\"CONTACT_MERGED\"},\"subscriptionStatus\":\"SUBSCRIBED\",\"UNSUBSCRIBED\",\"PENDING\","
    "\"deliverabilityStatus\":\"VALID\",\"BOUNCED\",\"INACTIVE\","
    "\"addresses\":{\"items\":[{\"id\":\"\",\"tag\":\"SHIPPING\",\"address\":{\"addressLine\":\"\",\"addressLine2\":\"\","
    "\"streetAddress\":{\"number\":\"\",\"name\":\"\"},\"city\":\"\",\"subdivision\":\"US-\",\"country\":\"US\","
    "\"postalCode\":\"\"}},{\"id\":\"\",\"tag\":\"BILLING\",\"address\":{\"addressLine\":\"\",\"city\":\"\","
    "\"country\":\"GB\",\"postalCode\":\"\"}}]},\"jobTitle\":\"\",\"birthdate\":\"19\",\"locale\":\"en-us\","
    "\"custom.\":\"\",\"emailSubscriptions.subscriptionStatus\":\"\",\"invoices.vatId\":\"\","
    "\"tag\":\"UNTAGGED\",\"tag\":\"FAX\",\"tag\":\"MAIN\",\"tag\":\"HOME\",\"tag\":\"WORK\","
    "\"countryCode\":\"US\",\"e164Phone\":\"+1\",\"formattedPhone\":\"+1 \","
    "\"primaryPhone\":{\"countryCode\":\"US\",\"e164Phone\":\"+1\",\"formattedPhone\":\"+1 \","
    "\"subscriptionStatus\":\"NOT_SET\",\"phone\":\"\"}"
    "@gmail.com\",\"primary\":false},{\"id\":\"\",\"tag\":\"HOME\",\"email\":\"\",\"primary\":false}]},"
    "\"activityType\":\"CONTACT_UPDATED\"},"
    "{\"id\":\"\",\"revision\":1,\"source\":{\"sourceType\":\"OTHER\"},"
    "\"createdDate\":\"2026-01-01T00:00:00.000Z\",\"updatedDate\":\"2026-01-01T00:00:00.000Z\","
    "\"lastActivity\":{\"activityDate\":\"2026-01-01T00:00:00.000Z\",\"activityType\":\"CONTACT_CREATED\"},"
    "\"primaryInfo\":{\"email\":\"@example.com\",\"phone\":\"\"},"
    "\"info\":{\"name\":{\"first\":\"\",\"last\":\"\"},"
    "\"emails\":{\"items\":[{\"id\":\"\",\"tag\":\"WORK\",\"email\":\"@example.com\",\"primary\":true}]},"
    "\"phones\":{\"items\":[{\"id\":\"\",\"tag\":\"MOBILE\",\"phone\":\"\",\"primary\":true}]},"
    "\"company\":\"\",\"labelKeys\":{\"items\":[\"custom.\"]},"
    "\"extendedFields\":{\"items\":{\"contacts.displayByFirstName\":\"\",\"contacts.displayByLastName\":\"\"}}},"
    "\"primaryEmail\":{\"email\":\"\",\"subscriptionStatus\":\"NOT_SET\",\"deliverabilityStatus\":\"NOT_SET\"},"
    "\"primaryPhone\":{\"subscriptionStatus\":\"NO_SUBSCRIPTION_STATUS\",\"phone\":\"\"}}";

#endif
