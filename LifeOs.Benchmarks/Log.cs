namespace LifeOs.Benchmarks;

/// <summary>Progress goes to stderr so stdout carries only the table and the JSON, ready to be piped.</summary>
internal static class Log
{
    public static void Info(string message) => Console.Error.WriteLine($"[bench] {message}");
}
