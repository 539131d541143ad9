import JSONCore
import WixContacts

/// The create that brings a deleted contact back (undoing a delete or a merge's source): its
/// writable `info` as it was. Read-only extended fields (Wix sets them) and item ids (a new
/// contact's items get new ones) are left out.
enum RecreatePatch {
    static func make(from before: ContactSnapshot) throws(ContactsError) -> ContactInfoPatch {
        var info = try before.contact().info
        info.emails = info.emails?.map { var item = $0; item.id = nil; return item }
        info.phones = info.phones?.map { var item = $0; item.id = nil; return item }
        info.addresses = info.addresses?.map { var item = $0; item.id = nil; return item }
        if var fields = info.extendedFields {
            for key in fields.keys where ContactInfo.isReadOnlyExtendedField(key) { fields[key] = nil }
            info.extendedFields = fields.isEmpty ? nil : fields
        }
        return ContactInfoPatch(setting: info)
    }
}
