// The headers in include/ are all static inline; SwiftPM needs one source file.
