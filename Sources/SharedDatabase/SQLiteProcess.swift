import SQLiteProcessSettings

/// The SQLite settings that hold for the whole process (see `SQLiteProcessSettings.h`): memory
/// statistics off, which takes a process-wide mutex off every SQLite allocation.
///
/// They can only be set before SQLite initialises, so every opening of a file here
/// (``SharedPool/open(path:openingPath:configuration:timeout:)``, and the contact store before it
/// registers its VFS) calls ``configure()`` first. When something else in the process had already
/// used SQLite, SQLite keeps its defaults and works as before.
public enum SQLiteProcess {
    /// Applies the settings once; later calls do nothing. Returns whether they hold (`false`
    /// when SQLite had initialised before the first call).
    @discardableResult
    public static func configure() -> Bool { isConfigured }

    private static let isConfigured = sqlite_process_settings_apply() == 0
}
