/**
 * How large the files of one message may be. Gmail takes at most 25 MB of attachments in a message; Exchange
 * Online's default message limit (MaxSendSize) is 35 MB counted after base64 encoding, which adds a third
 * (RFC 2045 §6.8): 25 MB of files is about 33 MB encoded, within it. 10 MB for one file leaves room for others.
 */
export const fileSizeLimitMb = 10;
export const messageSizeLimitMb = 25;

const megabyte = 1024 * 1024;
export const fileSizeLimit = fileSizeLimitMb * megabyte;
export const messageSizeLimit = messageSizeLimitMb * megabyte;
