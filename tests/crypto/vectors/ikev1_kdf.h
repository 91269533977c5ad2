/* tests/crypto/vectors/ikev1_kdf.h: IKEv1 KDF known answers of NIST
 * (SP 800-135 rev. 1 s. 4.1.1, "IKEv1": SKEYID for digital signatures,
 * public-key encryption and preshared keys, then SKEYID_d/_a/_e), used by
 * tests/crypto/test_crypto_ikev1.c.  Hex strings. */
#ifndef TESTS_CRYPTO_IKEV1_KDF_H
#define TESTS_CRYPTO_IKEV1_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto/prf.h"

enum v1_auth { V1_PSK, V1_SIG, V1_PKE };

struct v1_cavp {
	const char	*name;
	enum v1_auth	 auth;
	uint16_t	 prf;
	const char	*ni, *nr, *gxy, *cky_i, *cky_r, *psk;	/* hex */
	const char	*skeyid, *skeyid_d, *skeyid_a, *skeyid_e;
};

/* NIST ACVP-Server (github.com/usnistgov/ACVP-Server), directory
 * gen-val/src/crypto/test/NIST.CVP.ACVTS.Libraries.Crypto.IKEv1.Tests/:
 * PskIkeV1Tests.cs (pre-shared key), DsaIkeV1Tests.cs (digital
 * signature), PkeIkeV1Tests.cs (public key encryption), each with 6
 * TestCases named as .name below.  Used: the 9 SHA-1, SHA2-256 and
 * SHA2-512 cases of the three files.  Left out: SHA2-224 (not an IKE
 * hash), SHA2-384 (kilobyte-long inputs; SHA2-384 is covered by a
 * worked example instead) and the 521-bit g^xy cases (not a whole
 * number of octets, which a DH shared secret always is).  All 36
 * values were also recomputed with Python's hmac module before use. */

static const struct v1_cavp cavp[] = {
{
	.name = "PSK IKEv1 - SHA-1",
	.auth = V1_PSK,
	.prf = PRF_HMAC_SHA1,
	.ni = "1ead7e319ffa3461",
	.nr = "11111bfb76949326",
	.gxy = "021330da3ce97cd999dba9c23c7b65c7a2a64e98f645fa3fbfd75730",
	.cky_i = "e0ed2d580d55e1b7",
	.cky_r = "855e41db01bafb88",
	.psk = "a7",
	.skeyid = "ce066bb6939856e17798a7dbd599621d46fb9199",
	.skeyid_d = "ae745755722d9d755b8ad9cea17eea05044c69d4",
	.skeyid_a = "a4bf03f1582e14ec2b9eab5c3f6427a19d01ed6f",
	.skeyid_e = "9e78d632eff0c69b4f4f878c99797c513b37a73e",
},
{
	.name = "PSK IKEv1 - SHA2-256",
	.auth = V1_PSK,
	.prf = PRF_HMAC_SHA2_256,
	.ni =
	    "bcb61f721e3f546b033551155ac20ae2537bba3ae7df5eb560838c08c1003172"
	    "e1d873c3bfcc356d22138e450817255047c63c8b0ca24d118cd57d403cdd7569"
	    "0a93c82db1d39c8a2996af1f02917a8ffcd8cdbdb80d84f8077ee144bb832c7b"
	    "0536ac27c111ee1f3bb7f5e8d6b82c38e2fb702c4a605717c846834bacea514f"
	    "11fa6edc83e7f8dc5a01a0bb7c21bb8870bfd7695cb1cc1849f001313963c155"
	    "c6bdd91c589c44dd3eacaa94ca0baa8f16999b093a46f6fad2cbe658824f170a"
	    "8b136006793adc0274a986f2cc8ef6cec74ce8dbbd837efe2af0564aea107364"
	    "1e01184502c87efcfdc8223daf07edaa0d87a67e34b9a79f9cf1710e251cc66c",
	.nr =
	    "2e0c1df3129adfcce81353e294e0617dcfdd6cc5c029dfddbeb512e8b203d621"
	    "2271e0d74d7530495e6295cbb7cdcf7745a99b10ca00c0ad92d3ddcc9422c1cf"
	    "da31fc9ba49fa2dbe4c567642f79b9dfd156c3c30c7b73ea3264d6f509cabe3f"
	    "5c20e302a5fec3c18a2047ebb5e95dfad55b1eb245915f767e0ad6822ca2f760"
	    "a06c071642a137643cadce092a2ebaea0d8714a4a1061c0b6d032b4835491b8e"
	    "ac4573d37f605f4634e74c9030ff17695cec50ce31f5a0149a3dfc458642e94e"
	    "d43d370751885bd4b296b4f7bb556a7a14db22337ac6c78157884b00f7e7878a"
	    "2627839082680bfb9497e85e27369cfbf7b707c39c9b9c1b1372c41d6de3623a",
	.gxy = "8beb2cd063a9ab8b5fd357c1938b3cdecbce38d304fcf7bb1796d9c1",
	.cky_i = "352c7435ed95fbc8",
	.cky_r = "9949ba3f9b80642d",
	.psk = "779642b61ddf1f3fcc01b8f0bfd50f78363a8563aa880cbb09d71f2d",
	.skeyid =
	    "3dbe693af6582901e3d6d8d0554880cda868d7be3385441f2e8674e2d86a9b3b",
	.skeyid_d =
	    "d5f17d7935b769ec54dda77b8d5139f13e6ed3462d0a2532154e74846f0af50b",
	.skeyid_a =
	    "3967bc39b3a55dfd17a7780d6a344dd6a564194ee7cafe0b54947722ad4909d9",
	.skeyid_e =
	    "996073eae0284fe45743ec7d7ab87c8954b0fa6f27443e531107bf12eb40ee98",
},
{
	.name = "PSK IKEv1 - SHA2-512",
	.auth = V1_PSK,
	.prf = PRF_HMAC_SHA2_512,
	.ni = "62164b51e538b756",
	.nr = "9080a4133c31a75c",
	.gxy = "49e3295455ce612db2b68c9cee7090cd81b1386417d014dc918ebc93",
	.cky_i = "886f06fd952162c6",
	.cky_r = "91dd6e81c6e2feeb",
	.psk = "6c",
	.skeyid =
	    "a7265170ff642c28c1cdf8121f2d1c9c6ddb48bb15675e5a5caaae175f1bcebb"
	    "e94082c767ba94b1fd04ad96cc307bec2f42d5d7ed8b5d2f01b916d8d37cb436",
	.skeyid_d =
	    "60c27245e6925e6f2c0abce1a175bb9f1d404898260e9e4d5d9308ea7bf2b359"
	    "5c34621287a9037919264d6a7c80b8b337e0ab007c35712d0c407a4e385cd1b1",
	.skeyid_a =
	    "dcd0bb2cb122e492a2ba6017cd25d8d6b000624d28969062236e683511ee45ea"
	    "42e8591f06f8c7bda535c49f57e73c658dc37ed66d891fda33ce6f0c794caccf",
	.skeyid_e =
	    "2398acdb0a0553542a0fedbef70e04495ed9edae8c3c60546409e1bb0ecb547e"
	    "54c070d23b1c9226ac9d1f30eccdfb2c4f6462788b4b407148f44df58f8f2629",
},
{
	.name = "DSA IKEv1 - SHA-1",
	.auth = V1_SIG,
	.prf = PRF_HMAC_SHA1,
	.ni = "3e2504047ed6ff9f",
	.nr = "6fc4d53c3a8dd703",
	.gxy = "63e2f01eb9b2ff8b26c20bb1652972a0df94c1601fde641156e124f1",
	.cky_i = "aae2e3d00272567f",
	.cky_r = "4960bd49cb00b876",
	.skeyid = "f5b7f1b36d616775de9114e41909a0f9cdf59ae1",
	.skeyid_d = "9b96f5923cdfe6f382ddd01a5484c218213abe3b",
	.skeyid_a = "1ddb9c9b8639fe84849de502cb3851cfd3bf78a8",
	.skeyid_e = "ad778121098629828f95012f0c102a8968d5e286",
},
{
	.name = "DSA IKEv1 - SHA2-256",
	.auth = V1_SIG,
	.prf = PRF_HMAC_SHA2_256,
	.ni =
	    "000ef177a58a2987c16ebfd30ab2e3e80483b2bb09a2410cea02667b9c3806a5"
	    "a476776441a3d0bc8d8c0c544ea371c17084d390e95c9a36233ef44b652c8278"
	    "bdc2e099c64f25ade68bde1cc5fd655c214b2d9cd3ddd76bdf971de7e77d8d3f"
	    "440253a266d68e17cf58f1dadfce0f9916b762f145d44e1fe8059f1b8e0a2857"
	    "d87641a000fb844385203cb1f5ba46e245676df66d12cd83f59c44c56129a169"
	    "36002968543cfca5617b893bb7ae25257c96a931323849f1d9db5a4c5440a830"
	    "2fc3a7b4eda7fc09752d543b4f516819d2a946371c5f539c78bb5b6955b02a33"
	    "b7f5762747f1446ccfa5fcb2c3f6a1e391a04d78b520b6ae1198b10406fc33aa",
	.nr =
	    "8777c71b685ae95c118dc7de1712b333cea5b7c23e3edc685a27daebb7311dc2"
	    "cb29ac815e6f3798a0313c788bdbe24fdec64e361aa85201f37add7f839ee68a"
	    "3aef9d59650b808a1fef8b6b2af8c6d5912cf09b4e71f9ce0de6925e0eab0765"
	    "ef1c5a6f851303ea03f9d24f8a33207e3f6a5f7566e7d389c368bed5d448512e"
	    "eb4f0deca27df536ebd25b551ccc9aac06490033ead5afba08395498739166b2"
	    "22d24de5a88d970e70dede416f452411b3d65d555f6e7b1e74738f166cb21141"
	    "b92665dd268d67ed517c82d1fbd296665bea5eb99dfd615aa3da9751470d6240"
	    "1557e372e7b7f715a9b1ea33a1f2090ec5baebacaa693d40ffc7d2692f73282d",
	.gxy = "1929e6a0cdaeaffe709bff22762fbc31e8a5fa08a5bc8289e77d8079",
	.cky_i = "cec3c1c58a8fab78",
	.cky_r = "05b6ae4a923ef4d0",
	.skeyid =
	    "f0949c6b5ac21cf1786f2f5c359f0b40ed85b5840f9b05e105d43e44dd9e4f20",
	.skeyid_d =
	    "e2cca3048e227b471e697e86bbcb25f3a92b67974691f4a120e5703fff5d1530",
	.skeyid_a =
	    "7efd1afa105696646f5f756707f3fe8f5e3f231461630e4f629a122d7f42efc4",
	.skeyid_e =
	    "3f5fda94f7a4c5512958a8110b126cf5e37499c73a6aced51e0e359c6064ed98",
},
{
	.name = "DSA IKEv1 - SHA2-512",
	.auth = V1_SIG,
	.prf = PRF_HMAC_SHA2_512,
	.ni = "b0e77a0cd2d6947c",
	.nr = "e53bc72f8cd7a8ca",
	.gxy = "f6497c8be362ddf0fef27ff94e37a6d4f1ac2991eeb573356813a782",
	.cky_i = "146ca99c9573c4c5",
	.cky_r = "c53d022808d05540",
	.skeyid =
	    "d4967330d69aed79647d62692f97e422b979d03f9293f337fe84d4baff405165"
	    "7d18bfccbf4e5adacf0226c1f42e78540c3c49baf6ce92a961b649ffe5dc9132",
	.skeyid_d =
	    "88a8c0f8dc03765ea8ad6fe9039c08151f5b7941141e152ad1af47a3581613f9"
	    "07556716786f95cffa62fa933e65387b6d8a6d6af2f7c2fb80bb399ea0286863",
	.skeyid_a =
	    "454da7a378d0e5239643377d390f6209272037e8f36ba12e5f55a0471ce11a93"
	    "1abcb3a3e5fd26c3fb0240ca1784a03e8c366a2f002544bb923e30e5fd2307d1",
	.skeyid_e =
	    "90a047c06f39dabcd7a51a7a7d68f6ff8b8b3f2ad16ef33eb29dba6ce6882ebc"
	    "ce136cb9d373db1354af7dd01328509f415d01968b368d0f75a13af4fffbad27",
},
{
	.name = "PKE IKEv1 - SHA-1",
	.auth = V1_PKE,
	.prf = PRF_HMAC_SHA1,
	.ni = "c40c396c4e6528bd",
	.nr = "02a3831318a52ff9",
	.gxy = "de5c5af22cce9c22543519c97c714575b80f783e96e1442a3b76371f",
	.cky_i = "a20ec571030dbf5d",
	.cky_r = "08a1c78caf77b78d",
	.skeyid = "ecfac02e5a5f374ee50b7acbcd652bb602416655",
	.skeyid_d = "a06c47153b2509147f9fb3b2e65bc8f34299f82b",
	.skeyid_a = "ec7983927bb34f7f503244ab1804de4fa3e6c410",
	.skeyid_e = "860a40980478307185097c85bda2cb8db013f1c3",
},
{
	.name = "PKE IKEv1 - SHA2-256",
	.auth = V1_PKE,
	.prf = PRF_HMAC_SHA2_256,
	.ni = "9f22c7b27c3b86b7",
	.nr = "feeb525a99abbe2a",
	.gxy =
	    "9e993c3fbb1b69f99d6cda83af5fa75dbf36114d246b3097cfb45ed3cd973bba"
	    "cfdc20f355277be43f236260d05a056bd1be3f74ae43b0b8c9e8d9bd1cf92792"
	    "2aaf7b5cbc99866a738df985658c9bb275b78f308a90f2e615f1f7075160238b"
	    "066674b18701b18359c3360ac966f7cb1772b641cdac7a5c7d55a61204eb1180"
	    "554eaa61fd1d035d7d081d921a4e76bac381fc3cb1f41dffa2ef87869f98de32"
	    "420b908b417d7c320eed6ed15c96efa736abc0f4759bb8295c19fdf96f890873"
	    "a227652bb4d16cd24796277de41f06b20e31e0dbb646faf21a215d6fb67fb8af"
	    "6483668abf408ad64d12915675b149ac5d9fb557519c9c1108d2a6f90f4c3f02",
	.cky_i = "e6b34952ea91f892",
	.cky_r = "870060bf4d1f70b8",
	.skeyid =
	    "0b7aaae162a82665b7b4f00c85da14bf035fe3bcc4f4c6e15e0988350586e437",
	.skeyid_d =
	    "4c5427e81ddd987bee3d56983f37ac9708143cf582d749c320dbddbf32d4ce0e",
	.skeyid_a =
	    "9835da7d23f4162cf6e09412af68abfa187542db91dc8fd97a434bba7028887a",
	.skeyid_e =
	    "bd34bc7c1debe1de0577f42870c9956ed0662d396f1cdb426f8c9eb1ed5f8354",
},
{
	.name = "PKE IKEv1 - SHA2-512",
	.auth = V1_PKE,
	.prf = PRF_HMAC_SHA2_512,
	.ni = "7338e445a7b65dbd",
	.nr = "b8d8ae586e586e25",
	.gxy = "9212db9f6b82133150bb5c9a55627dcd500fcc6638268f5e73541a3e",
	.cky_i = "39fb8fc80130d697",
	.cky_r = "146d7b541affeda0",
	.skeyid =
	    "828ff3f30e2e8ad728c6672278e00ea3a6e015021190d7762f9eab3671b7cc16"
	    "02a9e26ee351ce62aa3643aeac3599153688fb535afac2b6749ea61f0a0f9ab1",
	.skeyid_d =
	    "f5817f8587c93ba1a620cd4ee39507c0dd886080e49cb4e04a2c7c36df5f2580"
	    "e7805193d1fcf6162dbda708875158c2ea4ff278676d4f3858658569b75222ee",
	.skeyid_a =
	    "b30a5133cf8da2fc2a52a4685c7b958464174b8149b568fde8b0f6ab51d3f5de"
	    "cc83589fb39dc520cb919f875ac3a8fd5af4bef934b13da3bfee44cf7dcb2246",
	.skeyid_e =
	    "cbabe39b24fc49602908f58dd9b6ec43f60f47c324e76dfe4aff93757202a4dc"
	    "34c16874978bb5848869e466f92922134a255092d16c3f7cfd8120c455f134fd",
},
};

#endif
