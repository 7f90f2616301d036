using System.Text.Json;

namespace SsdSharp.Configuration;

/// <summary>
/// A configuration value our JSON converters refuse, with a message that already says what was expected in the
/// file's terms; <see cref="ConfigJsonError"/> passes it on as it is, where System.Text.Json's own messages are
/// put in other words.
/// </summary>
internal sealed class ConfigValueException(string message) : JsonException(message);
