# Finds the Debian 12 packages the project builds with and stops with a
# message naming the package when one is missing.

function(ike_require var kind name package)
  if(kind STREQUAL "header")
    find_path(${var} ${name} PATHS ${ARGN})
  else()
    find_library(${var} NAMES ${name} PATHS ${ARGN} NO_DEFAULT_PATH)
    if(NOT ${var})
      find_library(${var} NAMES ${name})
    endif()
  endif()
  if(NOT ${var})
    message(FATAL_ERROR "${name} not found: install the Debian package "
      "'${package}' (as root: bash ci/install-deps.sh)")
  endif()
endfunction()

if(CMAKE_LIBRARY_ARCHITECTURE)
  set(IKE_MULTIARCH /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE})
else()
  set(IKE_MULTIARCH /usr/lib/x86_64-linux-gnu)
endif()

# BoringSSL, as Debian ships it for Android's tools.
ike_require(BORINGSSL_INCLUDE_DIR header openssl/base.h
  android-libboringssl-dev /usr/include/android)
ike_require(BORINGSSL_CRYPTO library crypto android-libboringssl-dev
  ${IKE_MULTIARCH}/android)
if(NOT BORINGSSL_INCLUDE_DIR MATCHES "android")
  message(FATAL_ERROR "found OpenSSL headers in ${BORINGSSL_INCLUDE_DIR}, "
    "not BoringSSL's: install 'android-libboringssl-dev'")
endif()
get_filename_component(BORINGSSL_LIBDIR ${BORINGSSL_CRYPTO} DIRECTORY)
add_library(boringssl_crypto SHARED IMPORTED GLOBAL)
set_target_properties(boringssl_crypto PROPERTIES
  IMPORTED_LOCATION ${BORINGSSL_CRYPTO}
  INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})
# The library is outside the linker's search path: programs carry an rpath.
set(CMAKE_BUILD_RPATH ${BORINGSSL_LIBDIR})
set(CMAKE_INSTALL_RPATH ${BORINGSSL_LIBDIR})

ike_require(LIBEVENT_INCLUDE_DIR header event2/event.h libevent-dev)
ike_require(LIBEVENT_CORE library event_core libevent-dev ${IKE_MULTIARCH})
ike_require(LMDB_INCLUDE_DIR header lmdb.h liblmdb-dev)
ike_require(LMDB_LIBRARY library lmdb liblmdb-dev ${IKE_MULTIARCH})
ike_require(EXPAT_INCLUDE_DIR header expat.h libexpat1-dev)
ike_require(EXPAT_LIBRARY library expat libexpat1-dev ${IKE_MULTIARCH})
if(BUILD_TESTING)
  ike_require(CMOCKA_INCLUDE_DIR header cmocka.h libcmocka-dev)
  ike_require(CMOCKA_LIBRARY library cmocka libcmocka-dev ${IKE_MULTIARCH})
endif()
