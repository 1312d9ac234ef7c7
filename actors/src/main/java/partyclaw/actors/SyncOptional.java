package partyclaw.actors;

/**
 * An event whose loss in a power failure only repeats work (a reply already delivered is sent again): the journal
 * may commit a batch holding nothing else without waiting for the disk. A crash of the process loses nothing
 * either way: the write reaches the operating system before it is acknowledged.
 */
public interface SyncOptional {}
